/**
 * The `$filter` every alert list must carry, as Graph requires: `scopeId eq '/' and scopeType eq
 * 'DirectoryRole'`, optionally narrowed by `alertDefinitionId eq '…'` (or `id eq '…'`) and, on alerts,
 * `isActive eq true|false`. Anything else is refused with what to write instead.
 */
import { BadRequestError } from '../errors.ts';
import { SCOPE_ID, SCOPE_TYPE } from './definitions.ts';

export interface AlertListFilter {
  alertDefinitionId?: string;
  isActive?: boolean;
}

const REQUIRED = `$filter must name the scope: scopeId eq '${SCOPE_ID}' and scopeType eq '${SCOPE_TYPE}'`;
const CLAUSE = /^\s*(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false))\s*$/i;

export function parseAlertFilter(filter: string, allowIsActive: boolean): AlertListFilter {
  const clauses = filter.split(/\s+and\s+/i);
  const seen = new Map<string, string | boolean>();
  for (const clause of clauses) {
    const match = CLAUSE.exec(clause);
    if (!match) throw new BadRequestError(`${REQUIRED}; '${clause.trim().slice(0, 80)}' is not a supported condition.`, 'Request_UnsupportedQuery');
    const name = match[1]!;
    const known = ['scopeId', 'scopeType', 'alertDefinitionId', 'id', ...(allowIsActive ? ['isActive'] : [])];
    const property = known.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!property) throw new BadRequestError(`${REQUIRED}; it may also name ${known.slice(2).join(', ')} (eq), not '${name}'.`, 'Request_UnsupportedQuery');
    if (seen.has(property)) throw new BadRequestError(`$filter names ${property} twice.`, 'Request_UnsupportedQuery');
    const value = match[3] !== undefined ? match[3].toLowerCase() === 'true' : match[2]!.replaceAll("''", "'");
    if ((property === 'isActive') !== (typeof value === 'boolean'))
      throw new BadRequestError(`${property} is compared with ${property === 'isActive' ? 'true or false' : 'a quoted string'}.`, 'Request_UnsupportedQuery');
    seen.set(property, value);
  }
  if (seen.get('scopeId') !== SCOPE_ID || seen.get('scopeType') !== SCOPE_TYPE) throw new BadRequestError(`${REQUIRED}.`, 'Request_UnsupportedQuery');
  const definition = (seen.get('alertDefinitionId') ?? seen.get('id')) as string | undefined;
  return { alertDefinitionId: definition, isActive: seen.get('isActive') as boolean | undefined };
}
