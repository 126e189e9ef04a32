/**
 * For each write route whose body is one of Graph's types, the properties Graph's v1.0 schema declares
 * for it (with its base types). Stint takes a body with any of them (shared/http/graph-body.ts); this is
 * what shared/contracts/graph-declared.ts holds, generated from the schema so it cannot drift:
 * `npx tsx test/conformance/declared.ts > shared/contracts/graph-declared.ts && npx prettier --write shared/contracts/graph-declared.ts`.
 */
import { fileURLToPath } from 'node:url';
import { ALL_ROUTES } from '../../shared/contracts/routes/index.ts';
import { graphV1, lineage, type Csdl } from './csdl.ts';
import { resolvePath } from './resolve-path.ts';

export function declaredByRoute(csdl: Csdl): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const route of ALL_ROUTES) {
    if (!route.body || !['POST', 'PATCH', 'PUT'].includes(route.method) || !route.path.startsWith('/v1.0/')) continue;
    const resolved = resolvePath(csdl, route.path.slice('/v1.0'.length), true);
    // An abstract type's body is one of its subtypes, named by @odata.type (policy rules): its route reads it whole.
    if (!resolved.ok || !csdl.structured.has(resolved.ref.type) || csdl.structured.get(resolved.ref.type)!.abstract) continue;
    // POST to a collection creates one of it; PATCH and PUT change the entity itself.
    if (route.method === 'POST' && !resolved.ref.collection) continue;
    const names = lineage(csdl, resolved.ref.type).flatMap((t) => [...t.properties.keys()]);
    out[route.id] = [...new Set(names)].sort();
  }
  return out;
}

export function declaredSource(csdl: Csdl): string {
  return [
    '/**',
    " * Generated from Graph's v1.0 schema by test/conformance/declared.ts: for each write route whose body is",
    " * one of Graph's types, the properties Graph declares for it. Do not edit; regenerate.",
    ' */',
    `export const GRAPH_DECLARED: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(declaredByRoute(csdl))};`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.stdout.write(declaredSource(graphV1()));
