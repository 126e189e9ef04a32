/**
 * A write body may carry any property Graph's schema declares for its type (a Graph SDK serializes what the
 * caller set, and Graph takes it). Those Stint keeps nothing for, such as a user's `faxNumber` or a
 * request's read-only `status`, are set aside and named in the `stint-ignored-properties` header, not refused;
 * a property Graph does not declare is still a 400. Top-level properties only: nested objects are Stint's
 * schemas' own.
 */
import type * as z from 'zod';
import { GRAPH_DECLARED } from '../contracts/graph-declared.ts';

export const IGNORED_HEADER = 'stint-ignored-properties';

/** Properties Stint knows and refuses to change on purpose, as Entra does: never set aside. */
export const REFUSED: Readonly<Record<string, readonly string[]>> = {
  // Entra fixes role-assignability at creation: a group cannot become (or stop being) able to hold roles.
  'groups.update': ['isAssignableToRole'],
};

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
  const refused = REFUSED[routeId] ?? [];
  const ignored = Object.keys(body).filter((key) => !known.has(key) && declared.includes(key) && !refused.includes(key));
  if (ignored.length === 0) return { body, ignored };
  return { body: Object.fromEntries(Object.entries(body).filter(([key]) => !ignored.includes(key))), ignored };
}
