/**
 * The Lambda handler behind every API function: match the route, authenticate, parse the input with
 * the route's zod schemas, call the route's implementation, and answer in Graph's shape. Route
 * implementations stay thin and never see raw events or errors.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Caller } from '../domain/caller.ts';
import { directoryCaller } from '../services/directory/sign-in.ts';
import { DomainError, UnauthenticatedError } from '../domain/errors.ts';
import { reportDynamoCalls } from '../observability/dynamo-calls.ts';
import { defaultRuntime, type Runtime } from '../runtime.ts';
import { withReadAhead } from '../store/read-ahead.ts';
import type { Services } from '../services/context.ts';
import { IGNORED_HEADER, setAsideGraphOnly } from './graph-body.ts';
import { graphErrors, requestIdOf } from './graph-errors.ts';
import { requestLogging } from './request-logging.ts';
import { compilePath, decodeSegments, type CompiledPath } from './path-match.ts';
import { header, parseQueryString, parseWith, readJsonBody, systemOptions } from './request.ts';
import type { HttpResult, RequestInfo } from './responses.ts';
import type { BodyOf, LambdaName, ParamsOf, QueryOf, RouteSpec } from './route.ts';

export interface RouteContext<R extends RouteSpec> {
  params: ParamsOf<R>;
  query: QueryOf<R>;
  body: BodyOf<R>;
  /** Undefined only on public routes. */
  caller: Caller;
  services: Services;
  runtime: Runtime;
  info: RequestInfo;
  requestId: string;
}

export type RouteImplementation<R extends RouteSpec> = (ctx: RouteContext<R>) => Promise<HttpResult>;

export interface BoundRoute {
  spec: RouteSpec;
  run: RouteImplementation<RouteSpec>;
}

/** Pairs a route contract with its implementation, keeping the implementation's input types exact. */
export function implement<R extends RouteSpec>(spec: R, run: RouteImplementation<R>): BoundRoute {
  return { spec, run: run as unknown as RouteImplementation<RouteSpec> };
}

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/**
 * `lambda` names the function in its contract (`RouteSpec.lambda`); that it implements exactly its
 * contracts' routes is checked by the tests (route-coverage.ts), not at every cold start, which would
 * have to load every route's contract into every function.
 */
export function createApiHandler(_lambda: LambdaName, bound: BoundRoute[], runtime: () => Runtime = defaultRuntime) {
  const routes = bound.map((b) => ({ ...b, path: compilePath(b.spec.path) })).sort((a, b) => b.path.literalCount - a.path.literalCount);
  return (
    middy<Event, Result, Error, Context>()
      // First, so the error handler's log line already carries the request id.
      .use(requestLogging())
      .use(graphErrors(() => runtime().services.clock))
      .handler(async (event) => reportDynamoCalls(() => withReadAhead(() => dispatch(routes, event, runtime()))))
  );
}

async function dispatch(routes: (BoundRoute & { path: CompiledPath })[], event: Event, runtime: Runtime): Promise<Result> {
  const method = event.requestContext.http.method.toUpperCase();
  const segments = decodeSegments(event.rawPath);
  if (!segments) throw new DomainError('invalid', 'BadRequest', 'The request path is not correctly URL-encoded.');
  const candidates = routes.flatMap((r) => {
    const params = r.path.match(segments);
    return params ? [{ route: r, params }] : [];
  });
  if (candidates.length === 0) throw new DomainError('notFound', 'Request_ResourceNotFound', `No resource matches '${event.rawPath}'.`);
  const chosen = candidates.find((c) => c.route.spec.method === method);
  if (!chosen) {
    const allowed = [...new Set(candidates.map((c) => c.route.spec.method))].join(', ');
    throw new DomainError('methodNotAllowed', 'Request_MethodNotAllowed', `${method} is not supported on this resource; use ${allowed}.`, {
      headers: { allow: allowed },
    });
  }
  const { spec, run } = chosen.route;
  // Only protected routes page (and so need the paging key); a public route must work without it.
  if (!spec.public) await runtime.ready?.();
  const caller = spec.public ? undefined : await authenticate(event, runtime);
  const rawQuery = parseQueryString(event.rawQueryString ?? '');
  const sent = spec.body ? setAsideGraphOnly(spec.id, spec.body, readJsonBody(event, runtime.config.maxBodyBytes)) : { body: undefined, ignored: [] };
  const context: RouteContext<RouteSpec> = {
    params: parseWith(spec.params, chosen.params, 'path'),
    query: parseWith(spec.query, systemOptions(rawQuery), 'query') ?? undefined,
    body: spec.body ? parseWith(spec.body, sent.body, 'body') : undefined,
    caller: caller as Caller,
    services: runtime.services,
    runtime,
    info: { baseUrl: baseUrlOf(event), rawPath: event.rawPath, query: rawQuery },
    requestId: requestIdOf(event),
  };
  const ran = await run(context);
  const result = sent.ignored.length ? { ...ran, headers: { ...ran.headers, [IGNORED_HEADER]: sent.ignored.join(',') } } : ran;
  if (result.text !== undefined) return { statusCode: result.status, headers: { ...result.headers }, body: result.text };
  return {
    statusCode: result.status,
    headers: { ...(result.body === undefined ? {} : { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8' }), ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

async function authenticate(event: Event, runtime: Runtime): Promise<Caller> {
  const authorization = header(event, 'authorization');
  if (!authorization) throw new UnauthenticatedError('Access token is empty: send an Authorization: Bearer <token> header.');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new UnauthenticatedError("The Authorization header must be 'Bearer <token>'.");
  const verified = await runtime.verifier.verify(match[1]!, event.requestContext.http.sourceIp);
  return directoryCaller(runtime.services, verified);
}

function baseUrlOf(event: Event): string {
  const proto = header(event, 'x-forwarded-proto') ?? 'https';
  const host = header(event, 'host') ?? event.requestContext.domainName;
  return `${proto}://${host}`;
}
