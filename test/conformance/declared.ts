/**
 * For each write route whose body is one of Graph's types, the properties Graph's v1.0 schema declares for
 * it (with its base types) that Stint keeps nothing of: not in the body Stint reads, nor in the object it
 * answers with. Stint takes a body with any of them and sets them aside (shared/http/graph-body.ts); one
 * that Stint shows but this request cannot set (`id`, `createdDateTime`, `isBuiltIn`) is refused by name.
 * This is what shared/contracts/graph-declared.ts holds, generated from the schema so it cannot drift:
 * `npx tsx test/conformance/declared.ts > shared/contracts/graph-declared.ts && npx prettier --write shared/contracts/graph-declared.ts`.
 */
import { fileURLToPath } from 'node:url';
import { ALL_ROUTES } from '../../shared/contracts/routes/index.ts';
import { graphV1, lineage, type Csdl } from './csdl.ts';
import { resolvePath } from './resolve-path.ts';

const samePath = (a: string, b: string) => a.replace(/\{\w+\}/g, '{}') === b.replace(/\{\w+\}/g, '{}');

/** The properties Stint answers with for the entity a write route creates or changes (its GET route's). */
export function shownBy(route: { method: string; path: string }): Set<string> {
  const entityPath = route.method === 'POST' ? `${route.path}/{id}` : route.path;
  const get = ALL_ROUTES.find((r) => r.method === 'GET' && samePath(r.path, entityPath));
  const shape = (get?.response as { shape?: Record<string, unknown> } | undefined)?.shape;
  return new Set(shape ? Object.keys(shape) : []);
}

/** Every property Graph declares for a write route's body type, or undefined when its body is not one. */
export function declaredFor(csdl: Csdl, route: (typeof ALL_ROUTES)[number]): string[] | undefined {
  if (!route.body || !['POST', 'PATCH', 'PUT'].includes(route.method) || !route.path.startsWith('/v1.0/')) return undefined;
  const resolved = resolvePath(csdl, route.path.slice('/v1.0'.length), true);
  // An abstract type's body is one of its subtypes, named by @odata.type (policy rules): its route reads it whole.
  if (!resolved.ok || !csdl.structured.has(resolved.ref.type) || csdl.structured.get(resolved.ref.type)!.abstract) return undefined;
  // POST to a collection creates one of it; PATCH and PUT change the entity itself.
  if (route.method === 'POST' && !resolved.ref.collection) return undefined;
  return [...new Set(lineage(csdl, resolved.ref.type).flatMap((t) => [...t.properties.keys()]))].sort();
}

export function declaredByRoute(csdl: Csdl): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const route of ALL_ROUTES) {
    const declared = declaredFor(csdl, route);
    if (!declared) continue;
    const shown = shownBy(route);
    out[route.id] = declared.filter((name) => !shown.has(name));
  }
  return out;
}

export function declaredSource(csdl: Csdl): string {
  return [
    '/**',
    " * Generated from Graph's v1.0 schema by test/conformance/declared.ts: for each write route whose body is",
    " * one of Graph's types, the properties Graph declares for it that Stint keeps nothing of. Do not edit; regenerate.",
    ' */',
    `export const GRAPH_DECLARED: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(declaredByRoute(csdl))};`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.stdout.write(declaredSource(graphV1()));
