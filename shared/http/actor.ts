import type { Actor } from '../services/context.ts';
import type { RouteContext } from './api-handler.ts';
import type { RouteSpec } from './route.ts';

/** The acting caller of a request, with the request id as the correlation id of its audit records. */
export function actorOf(ctx: RouteContext<RouteSpec>): Actor {
  return { caller: ctx.caller, correlationId: ctx.requestId };
}
