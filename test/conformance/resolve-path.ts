/**
 * What Graph's schema says a URL answers with: walks `/users/{id}/memberOf` or
 * `/roleManagement/directory/roleDefinitions/{id}` from the entity container through navigation
 * properties, keys and bound functions, as an OData service resolves a resource path.
 */
import { property, type Csdl, type TypeRef } from './csdl.ts';

export type Resolution = { ok: true; ref: TypeRef } | { ok: false; reason: string };

const FUNCTION_CALL = /^([A-Za-z]\w*)\((.*)\)$/;

/**
 * `path` is a URL path, or a route template (`/users/{id}/memberOf`): in a template only `{…}` segments
 * are keys, so `/auditLogs/directoryAudits/export` is not taken for an audit record's id.
 */
export function resolvePath(csdl: Csdl, path: string, template = false): Resolution {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, ...rest] = segments;
  if (!first) return { ok: false, reason: 'an empty path' };
  let ref: TypeRef;
  if (csdl.entitySets.has(first)) ref = { type: csdl.entitySets.get(first)!, collection: true, nullable: false };
  else if (csdl.singletons.has(first)) ref = { type: csdl.singletons.get(first)!, collection: false, nullable: false };
  else return { ok: false, reason: `"${first}" is neither an entity set nor a singleton of Graph` };
  for (const segment of rest) {
    const call = FUNCTION_CALL.exec(segment);
    if (call) {
      const fn = csdl.functions.find((f) => f.name === call[1] && f.binding.type === ref.type && f.binding.collection === ref.collection);
      if (!fn?.returns) return { ok: false, reason: `Graph binds no function ${call[1]} to ${ref.collection ? 'a collection of ' : ''}${ref.type}` };
      ref = fn.returns;
      continue;
    }
    if (ref.collection && (!template || /^\{\w+\}$/.test(segment))) {
      // A key: one member of the collection.
      ref = { ...ref, collection: false, nullable: false };
      continue;
    }
    if (ref.collection) return { ok: false, reason: `Graph has no "${segment}" under a collection of ${ref.type}` };
    const found = property(csdl, ref.type, segment);
    if (!found) return { ok: false, reason: `${ref.type} has no property or navigation "${segment}"` };
    ref = found.ref;
  }
  return { ok: true, ref };
}
