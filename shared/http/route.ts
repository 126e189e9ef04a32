/**
 * Route contracts: method, path, Lambda and zod schemas of each API route. Shared by the handlers, the
 * CDK API, the local adapter and the OpenAPI document, so the four cannot drift apart.
 */
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The Lambda functions that serve the API; each entry module is `functions/api/<name>.ts`. */
export const LAMBDAS = ['meta', 'directory', 'roles', 'policies', 'access', 'audit', 'reviews', 'insights'] as const;
export type LambdaName = (typeof LAMBDAS)[number];

export interface RouteSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  id: string;
  method: HttpMethod;
  /** Graph-style path; `{name}` marks a parameter. */
  path: string;
  lambda: LambdaName;
  summary: string;
  tag: string;
  /**
   * Open to anyone, with no token: health, the API description and the email-link landing pages (which
   * reveal nothing and change nothing). Public routes are GETs only, each an exact API Gateway route.
   */
  public?: boolean;
  /** The media type of a successful answer, when it is not Graph's JSON (the landing pages' HTML and script). */
  contentType?: string;
  params?: P;
  query?: Q;
  body?: B;
  response?: z.ZodType;
  /** Status of a successful answer. */
  status: 200 | 201 | 204;
}

export function route<P extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever, B extends z.ZodType = z.ZodNever>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> {
  return spec;
}

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;
export type ParamsOf<R extends RouteSpec> = Parsed<NonNullable<R['params']>>;
export type QueryOf<R extends RouteSpec> = Parsed<NonNullable<R['query']>>;
export type BodyOf<R extends RouteSpec> = Parsed<NonNullable<R['body']>>;
