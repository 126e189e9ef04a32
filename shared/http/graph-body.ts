/**
 * A write body may carry any property Graph's schema declares for its type (a Graph SDK serializes what the
 * caller set, and Graph takes it). Those Stint keeps nothing of, such as a user's `faxNumber` or a service
 * principal's `appRoles`, are set aside and named in the `stint-ignored-properties` header, not refused. One
 * that Stint keeps but this request cannot set (`id`, `createdDateTime`, a role's `isBuiltIn`, a group's
 * `isAssignableToRole` after creation, as in Entra) is still refused by name, and so is anything Graph does
 * not declare. Top-level properties only: nested objects are Stint's schemas' own.
 */
import type * as z from 'zod';
import { GRAPH_DECLARED } from '../contracts/graph-declared.ts';

export const IGNORED_HEADER = 'stint-ignored-properties';

/** The object schema's keys, under any transforms (a pipe's input is the object the body must be). */
function keysOf(schema: z.ZodType): ReadonlySet<string> | undefined {
  let current = schema as { shape?: Record<string, unknown>; in?: unknown };
  while (!current.shape && current.in) current = current.in as typeof current;
  return current.shape ? new Set(Object.keys(current.shape)) : undefined;
}

export function setAsideGraphOnly(routeId: string, schema: z.ZodType, body: unknown): { body: unknown; ignored: string[] } {
  const declared = GRAPH_DECLARED[routeId];
  const known = keysOf(schema);
  if (!declared || !known || typeof body !== 'object' || body === null || Array.isArray(body)) return { body, ignored: [] };
  const ignored = Object.keys(body).filter((key) => !known.has(key) && declared.includes(key));
  if (ignored.length === 0) return { body, ignored };
  return { body: Object.fromEntries(Object.entries(body).filter(([key]) => !ignored.includes(key))), ignored };
}
