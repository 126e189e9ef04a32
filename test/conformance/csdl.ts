/**
 * Microsoft Graph's CSDL (the `$metadata` that Microsoft's SDKs are generated from), read into what a
 * conformance check needs: structured types with their bases, enums, the entity container and the bound
 * functions. The file is regular XML written by one generator, so a tag scanner is enough; no XML library.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface TypeRef {
  /** Qualified name: `Edm.String`, `microsoft.graph.user`. */
  type: string;
  collection: boolean;
  nullable: boolean;
}

export interface StructuredType {
  kind: 'entity' | 'complex';
  name: string;
  baseType?: string;
  abstract: boolean;
  properties: Map<string, TypeRef>;
  navigation: Map<string, TypeRef>;
}

export interface EnumType {
  name: string;
  members: Set<string>;
  flags: boolean;
}

export interface BoundFunction {
  name: string;
  binding: TypeRef;
  /** The parameters after the binding one, by name. */
  parameters: Map<string, TypeRef>;
  returns?: TypeRef;
}

export interface Csdl {
  structured: Map<string, StructuredType>;
  enums: Map<string, EnumType>;
  entitySets: Map<string, string>;
  singletons: Map<string, string>;
  functions: BoundFunction[];
}

const TAG = /<(\/?)([A-Za-z:]+)((?:\s+[A-Za-z:]+="[^"]*")*)\s*(\/?)>/g;
const ATTRIBUTE = /([A-Za-z:]+)="([^"]*)"/g;

function attributes(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(ATTRIBUTE)].map((m) => [m[1], m[2]]));
}

export function parseCsdl(xml: string): Csdl {
  const csdl: Csdl = { structured: new Map(), enums: new Map(), entitySets: new Map(), singletons: new Map(), functions: [] };
  let namespace = '';
  const allAliases = new Map<string, string>();
  let current: StructuredType | EnumType | undefined;
  let fn: { name: string; bound: boolean; params: [string, TypeRef][]; returns?: TypeRef } | undefined;
  // Type names are written with the schema's alias (`graph.user`) or in full; names are made full after reading.
  const qualify = (name: string) => `${namespace}.${name}`;
  const ref = (attrs: Record<string, string>, typeAttribute = 'Type'): TypeRef => {
    const raw = attrs[typeAttribute] ?? '';
    const inner = /^Collection\((.+)\)$/.exec(raw);
    return { type: inner?.[1] ?? raw, collection: !!inner, nullable: attrs.Nullable !== 'false' };
  };
  for (const match of xml.matchAll(TAG)) {
    const [, closing, tag = '', attrText = '', selfClosing] = match;
    const attrs = attributes(attrText);
    if (closing) {
      if (tag === 'EntityType' || tag === 'ComplexType' || tag === 'EnumType') current = undefined;
      if (tag === 'Function' && fn) {
        const [binding, ...parameters] = fn.params;
        if (fn.bound && binding) csdl.functions.push({ name: fn.name, binding: binding[1], parameters: new Map(parameters), returns: fn.returns });
        fn = undefined;
      }
      continue;
    }
    switch (tag) {
      case 'Schema':
        namespace = attrs.Namespace!;
        if (attrs.Alias) allAliases.set(attrs.Alias, namespace);
        break;
      case 'EntityType':
      case 'ComplexType': {
        const type: StructuredType = {
          kind: tag === 'EntityType' ? 'entity' : 'complex',
          name: qualify(attrs.Name!),
          baseType: attrs.BaseType,
          abstract: attrs.Abstract === 'true',
          properties: new Map(),
          navigation: new Map(),
        };
        csdl.structured.set(type.name, type);
        current = selfClosing ? undefined : type;
        break;
      }
      case 'EnumType': {
        const type: EnumType = { name: qualify(attrs.Name!), members: new Set(), flags: attrs.IsFlags === 'true' };
        csdl.enums.set(type.name, type);
        current = selfClosing ? undefined : type;
        break;
      }
      case 'Property':
        if (current && 'properties' in current) current.properties.set(attrs.Name!, ref(attrs));
        break;
      case 'NavigationProperty':
        if (current && 'navigation' in current) current.navigation.set(attrs.Name!, ref(attrs));
        break;
      case 'Member':
        if (current && 'members' in current) current.members.add(attrs.Name!);
        break;
      case 'EntitySet':
        csdl.entitySets.set(attrs.Name!, attrs.EntityType!);
        break;
      case 'Singleton':
        csdl.singletons.set(attrs.Name!, attrs.Type!);
        break;
      case 'Function':
        fn = { name: attrs.Name!, bound: attrs.IsBound === 'true', params: [] };
        if (selfClosing) fn = undefined;
        break;
      case 'Parameter':
        fn?.params.push([attrs.Name!, ref(attrs)]);
        break;
      case 'ReturnType':
        if (fn) fn.returns = ref(attrs);
        break;
    }
  }
  const full = (name: string) => {
    const dot = name.indexOf('.');
    const head = name.slice(0, dot);
    return allAliases.has(head) ? `${allAliases.get(head)}${name.slice(dot)}` : name;
  };
  const fullRef = (r: TypeRef): TypeRef => ({ ...r, type: full(r.type) });
  for (const type of csdl.structured.values()) {
    if (type.baseType) type.baseType = full(type.baseType);
    for (const [k, v] of type.properties) type.properties.set(k, fullRef(v));
    for (const [k, v] of type.navigation) type.navigation.set(k, fullRef(v));
  }
  for (const [k, v] of csdl.entitySets) csdl.entitySets.set(k, full(v));
  for (const [k, v] of csdl.singletons) csdl.singletons.set(k, full(v));
  for (const f of csdl.functions) {
    f.binding = fullRef(f.binding);
    for (const [k, v] of f.parameters) f.parameters.set(k, fullRef(v));
    if (f.returns) f.returns = fullRef(f.returns);
  }
  return csdl;
}

const V1_METADATA = new URL('./graph-metadata/v1.0-cleanMetadata.xml.gz', import.meta.url);

let cached: Csdl | undefined;
/** Graph's v1.0 schema, kept gzipped beside this file; `STINT_GRAPH_METADATA` names another (plain XML) copy. */
export function graphV1(): Csdl {
  const other = process.env.STINT_GRAPH_METADATA;
  cached ??= parseCsdl((other ? readFileSync(other, 'utf8') : gunzipSync(readFileSync(V1_METADATA)).toString('utf8')).replace(/^\uFEFF/, ''));
  return cached;
}

/** The type and its bases, most derived first. */
export function lineage(csdl: Csdl, name: string): StructuredType[] {
  const chain: StructuredType[] = [];
  for (let type = csdl.structured.get(name); type; type = type.baseType ? csdl.structured.get(type.baseType) : undefined) chain.push(type);
  return chain;
}

export function isDerivedFrom(csdl: Csdl, name: string, base: string): boolean {
  return lineage(csdl, name).some((t) => t.name === base);
}

export function property(csdl: Csdl, typeName: string, name: string): { kind: 'property' | 'navigation'; ref: TypeRef } | undefined {
  for (const type of lineage(csdl, typeName)) {
    const p = type.properties.get(name);
    if (p) return { kind: 'property', ref: p };
    const n = type.navigation.get(name);
    if (n) return { kind: 'navigation', ref: n };
  }
  return undefined;
}
