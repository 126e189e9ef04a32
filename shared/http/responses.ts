/** Building Graph-shaped answers: OData context, collections with nextLink, and `$select`. */
import { BadRequestError } from '../domain/errors.ts';

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of `body` as JSON (the landing pages' HTML and script); `headers` names its content-type. */
  text?: string;
}

export interface RequestInfo {
  /** Scheme and host the client used, e.g. http://localhost:3000 */
  baseUrl: string;
  rawPath: string;
  query: Record<string, string>;
}

export const ok = (body: unknown): HttpResult => ({ status: 200, body });
export const created = (body: unknown, location?: string): HttpResult => ({ status: 201, body, headers: location ? { location } : undefined });
export const noContent = (): HttpResult => ({ status: 204 });

/** The API version the request was made to: Graph's `v1.0` or `beta`. */
export function apiVersion(info: Pick<RequestInfo, 'rawPath'>): 'v1.0' | 'beta' {
  return info.rawPath.startsWith('/beta/') ? 'beta' : 'v1.0';
}

export function contextUrl(info: RequestInfo, fragment: string): string {
  return `${info.baseUrl}/${apiVersion(info)}/$metadata#${fragment}`;
}

/**
 * `$select=a,b` keeps those properties (and always `id` and `@odata.type`); unknown names are refused.
 * `known` lists the properties of a collection whose items differ in type (directoryObjects: users, groups,
 * service principals); each item then keeps those of the selected properties it has.
 */
export function applySelect<T extends object>(item: T, select: string | undefined, known?: readonly string[]): Partial<T> {
  if (!select) return item;
  const wanted = select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Own properties only: `in` would also accept prototype names such as 'constructor' or '__proto__'.
  // Stint's own values are annotations (`@stint.createdDateTime`): selecting the name selects them.
  const has = (name: string) =>
    known ? known.includes(name) || known.includes(`@stint.${name}`) : Object.hasOwn(item, name) || Object.hasOwn(item, `@stint.${name}`);
  const unknown = wanted.filter((name) => !has(name));
  if (unknown.length > 0) throw new BadRequestError(`$select names unknown properties: ${unknown.join(', ')}.`, 'Request_UnsupportedQuery');
  const keep = new Set([...wanted, ...wanted.map((name) => `@stint.${name}`), 'id', '@odata.type']);
  return Object.fromEntries(Object.entries(item).filter(([key]) => keep.has(key))) as Partial<T>;
}

export function entity(info: RequestInfo, fragment: string, item: object, select?: string): HttpResult {
  return ok({ '@odata.context': contextUrl(info, `${fragment}/$entity`), ...applySelect(item, select) });
}

export function collection(
  info: RequestInfo,
  fragment: string,
  page: { items: object[]; nextToken?: string },
  select?: string,
  known?: readonly string[],
): HttpResult {
  const value = page.items.map((item) => applySelect(item, select, known));
  const body: Record<string, unknown> = { '@odata.context': contextUrl(info, fragment), value };
  if (page.nextToken) body['@odata.nextLink'] = nextLink(info, page.nextToken);
  return ok(body);
}

/** The same request with `$skiptoken` set: clients follow it verbatim. */
export function nextLink(info: RequestInfo, token: string): string {
  const query = { ...info.query, $skiptoken: token };
  const text = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`)
    .join('&');
  return `${info.baseUrl}${info.rawPath}?${text}`;
}
