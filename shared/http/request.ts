/**
 * Reads what a route needs out of an API Gateway v2 event: decoded path, query options, JSON body.
 * Every failure is a 4xx that says what to fix, and nothing has been done yet when it is raised.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { BadRequestError, DomainError } from '../domain/errors.ts';
import { detailsFromZod } from './error-response.ts';

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Form-style decoding ('+' is a space); a repeated option is refused instead of guessing which wins. */
export function parseQueryString(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const [rawKey, rawValue] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' ')).trim();
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw new BadRequestError('The query string is not correctly URL-encoded.');
    }
    // Own keys only: `in` would also see Object.prototype's names and call `?constructor=1` a repeat.
    if (Object.hasOwn(query, key)) throw new BadRequestError(`Query option '${key}' is given more than once.`);
    query[key] = value;
  }
  return query;
}

/** Only OData system options (`$…`) are validated; other parameters are ignored, as Graph does. */
export function systemOptions(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([key]) => key.startsWith('$')));
}

export function readJsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) {
    throw new DomainError('tooLarge', 'RequestEntityTooLarge', `The request body is ${bytes.length} bytes; at most ${maxBytes} are accepted.`);
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  const contentType = header(event, 'content-type');
  if (contentType && !/^application\/(.+\+)?json\b/i.test(contentType.trim())) {
    throw new DomainError('unsupportedMediaType', 'UnsupportedMediaType', `Content-Type '${contentType}' is not supported; send 'application/json'.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
    throw new BadRequestError(`The request body is not valid JSON${position ? ` (error at character ${position})` : ''}.`, 'BadRequest');
  }
  // JSON can escape half a surrogate pair ("\ud800"): that is not Unicode text and cannot be stored as UTF-8.
  if (/\\u[dD][89a-fA-F]/.test(text) && hasUnpairedSurrogate(value)) {
    throw new BadRequestError('The request body contains text that is not valid Unicode (an unpaired UTF-16 surrogate).', 'BadRequest');
  }
  return value;
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Iterative, so that deeply nested input cannot overflow the stack. */
function hasUnpairedSurrogate(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (UNPAIRED_SURROGATE.test(value)) return true;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (UNPAIRED_SURROGATE.test(key)) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

export function parseWith<T extends z.ZodType>(schema: T | undefined, value: unknown, where: 'body' | 'query' | 'path'): z.output<T> | undefined {
  if (!schema) return undefined;
  if (where === 'body' && value === undefined) throw new BadRequestError('This request needs a JSON body.');
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = detailsFromZod(result.error, where);
  const summary = details
    .slice(0, 3)
    .map((d) => d.message.replace(/\.$/, ''))
    .join('; ');
  const more = details.length > 3 ? ` (and ${details.length - 3} more problems)` : '';
  const code = where === 'query' ? 'Request_UnsupportedQuery' : 'Request_BadRequest';
  throw new BadRequestError(`Invalid ${where === 'path' ? 'path' : where === 'query' ? 'query' : 'request body'}: ${summary}${more}.`, code, { details });
}
