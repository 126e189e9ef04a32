/**
 * The one place where errors become HTTP answers, in Graph's error shape. Client mistakes (4xx) say what
 * to fix; anything unexpected is a 500 whose message reveals nothing but the request id to quote.
 */
import * as z from 'zod';
import { DomainError, type ErrorKind } from '../domain/errors.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  preconditionFailed: 412,
  tooLarge: 413,
  unsupportedMediaType: 415,
  unavailable: 503,
};

export interface GraphErrorDetail {
  code: string;
  target?: string;
  message: string;
}

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: GraphErrorDetail[];
  headers?: Record<string, string>;
}

export function statusOf(kind: ErrorKind): number {
  return STATUS[kind];
}

export function answerFor(error: unknown): ErrorAnswer {
  if (error instanceof DomainError) {
    const details = Array.isArray(error.details?.details) ? (error.details.details as GraphErrorDetail[]) : undefined;
    const headers = error.details?.headers as Record<string, string> | undefined;
    return { status: STATUS[error.kind], code: error.code, message: error.message, details, headers };
  }
  return { status: 500, code: 'InternalServerError', message: 'An unexpected error occurred. Quote the request-id when reporting it.' };
}

export function graphErrorBody(answer: ErrorAnswer, requestId: string, date: Date, clientRequestId?: string) {
  return {
    error: {
      code: answer.code,
      message: answer.message,
      ...(answer.details?.length ? { details: answer.details } : {}),
      innerError: {
        'request-id': requestId,
        date: date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}),
      },
    },
  };
}

/** zod issues as Graph error details: where, and what is wrong, never the offending value itself. */
export function detailsFromZod(error: z.ZodError, where: 'body' | 'query' | 'path'): GraphErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const target = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: where === 'query' ? 'UnsupportedQueryOption' : 'UnknownProperty',
        target: target ? `${target}.${key}` : key,
        message:
          where === 'query'
            ? `Query option '${key}' is not supported on this request.`
            : `Property '${key}' does not exist on this type; remove it from the request.`,
      }));
    }
    return [{ code: 'InvalidValue', target: target || where, message: `${target || where}: ${issue.message}` }];
  });
}
