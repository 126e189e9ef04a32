/**
 * Checks one JSON answer against Graph's schema: every value's type, nullability and enum member, every
 * `@odata.type` naming a real subtype, navigation properties only as objects and only when expanded, and
 * no property the schema does not declare. Each problem names the JSON path and the rule broken.
 */
import { isDerivedFrom, property, type Csdl, type TypeRef } from './csdl.ts';

export interface Problem {
  path: string;
  rule: string;
}

export interface ValidateOptions {
  /** Navigation properties expanded at the top level (`$expand=activatedUsing`). */
  expand?: ReadonlySet<string>;
  /** Collects the instance annotations met that are not OData's own (`@stint.…`), to be checked as documented. */
  annotations?: Set<string>;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
// OData's Duration (XML Schema dayTimeDuration): days, hours, minutes, seconds; no years, months or weeks.
const DURATION = /^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const INTEGER_RANGE: Record<string, [number, number]> = {
  'Edm.Byte': [0, 255],
  'Edm.SByte': [-128, 127],
  'Edm.Int16': [-32768, 32767],
  'Edm.Int32': [-2147483648, 2147483647],
  'Edm.Int64': [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
/** Control information Graph may put on any object (OData JSON format §4.5). */
const CONTROL = new Set(['@odata.type', '@odata.id', '@odata.etag', '@odata.editLink', '@odata.readLink']);

const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 80));
const shortName = (type: string) => type.replace(/^microsoft\.graph\./, '');

function primitiveProblem(type: string, value: unknown): string | undefined {
  if (type === 'Edm.Untyped' || type === 'Edm.Stream') return undefined;
  const range = INTEGER_RANGE[type];
  if (range) return Number.isInteger(value) && (value as number) >= range[0] && (value as number) <= range[1] ? undefined : `${type} must be an integer`;
  switch (type) {
    case 'Edm.String':
      return typeof value === 'string' ? undefined : 'Edm.String must be a string';
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? undefined : 'Edm.Boolean must be true or false';
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal':
      return typeof value === 'number' || value === 'NaN' || value === 'INF' || value === '-INF' ? undefined : `${type} must be a number`;
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'Edm.DateTimeOffset must be an ISO 8601 date and time with an offset';
    case 'Edm.Date':
      return typeof value === 'string' && ISO_DATE.test(value) ? undefined : 'Edm.Date must be YYYY-MM-DD';
    case 'Edm.TimeOfDay':
      return typeof value === 'string' && TIME_OF_DAY.test(value) ? undefined : 'Edm.TimeOfDay must be hh:mm:ss';
    case 'Edm.Duration':
      return typeof value === 'string' && DURATION.test(value) ? undefined : 'Edm.Duration must be an ISO 8601 duration in days, hours, minutes and seconds';
    case 'Edm.Guid':
      return typeof value === 'string' && GUID.test(value) ? undefined : 'Edm.Guid must be a GUID';
    case 'Edm.Binary':
      return typeof value === 'string' && BASE64.test(value) ? undefined : 'Edm.Binary must be base64';
    default:
      return `unknown primitive type ${type}`;
  }
}

export function validateValue(csdl: Csdl, value: unknown, ref: TypeRef, path: string, problems: Problem[], options: ValidateOptions = {}): void {
  if (ref.collection) {
    if (!Array.isArray(value)) {
      problems.push({ path, rule: `Collection(${shortName(ref.type)}) must be an array, got ${describe(value)}` });
      return;
    }
    value.forEach((item, i) => validateValue(csdl, item, { ...ref, collection: false }, `${path}[${i}]`, problems, options));
    return;
  }
  if (value === null) {
    if (!ref.nullable) problems.push({ path, rule: `${shortName(ref.type)} is not nullable` });
    return;
  }
  if (ref.type.startsWith('Edm.')) {
    const problem = primitiveProblem(ref.type, value);
    if (problem) problems.push({ path, rule: `${problem}, got ${describe(value)}` });
    return;
  }
  const enumType = csdl.enums.get(ref.type);
  if (enumType) {
    const members = typeof value === 'string' ? (enumType.flags ? value.split(',').map((m) => m.trim()) : [value]) : [];
    const bad = typeof value !== 'string' ? [describe(value)] : members.filter((m) => !enumType.members.has(m));
    if (bad.length) problems.push({ path, rule: `${shortName(ref.type)} has no member ${bad.join(', ')} (members: ${[...enumType.members].join(', ')})` });
    return;
  }
  if (!csdl.structured.has(ref.type)) {
    problems.push({ path, rule: `the schema has no type ${ref.type}` });
    return;
  }
  validateObject(csdl, value, ref.type, path, problems, options);
}

export function validateObject(csdl: Csdl, value: unknown, declared: string, path: string, problems: Problem[], options: ValidateOptions = {}): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ path, rule: `${shortName(declared)} must be an object, got ${describe(value)}` });
    return;
  }
  const record = value as Record<string, unknown>;
  let actual = declared;
  const odataType = record['@odata.type'];
  if (odataType !== undefined) {
    const named = typeof odataType === 'string' && odataType.startsWith('#') ? odataType.slice(1) : undefined;
    if (!named || !csdl.structured.has(named)) problems.push({ path: `${path}['@odata.type']`, rule: `names no type in the schema: ${describe(odataType)}` });
    else if (!isDerivedFrom(csdl, named, declared)) problems.push({ path: `${path}['@odata.type']`, rule: `${named} is not ${declared} or derived from it` });
    else actual = named;
  }
  if (csdl.structured.get(actual)?.abstract) problems.push({ path, rule: `${shortName(actual)} is abstract: the value must name its subtype in @odata.type` });
  for (const [key, item] of Object.entries(record)) {
    const at = `${path}.${key}`;
    if (key.startsWith('@')) {
      if (CONTROL.has(key)) continue;
      if (!/^@[A-Za-z]\w*\.\w+/.test(key)) problems.push({ path: at, rule: 'is not an OData annotation' });
      else if (!key.startsWith('@odata.')) options.annotations?.add(key);
      continue;
    }
    if (key.includes('@')) continue; // a property annotation, such as `members@odata.bind`
    const found = property(csdl, actual, key);
    if (!found) {
      problems.push({ path: at, rule: `${shortName(actual)} declares no property "${key}"` });
      continue;
    }
    if (found.kind === 'navigation') {
      if (!options.expand?.has(key)) {
        problems.push({ path: at, rule: `"${key}" is a navigation property: present only when expanded ($expand=${key})` });
        continue;
      }
      validateValue(csdl, item, found.ref, at, problems, { annotations: options.annotations });
      continue;
    }
    validateValue(csdl, item, found.ref, at, problems, { annotations: options.annotations });
  }
}
