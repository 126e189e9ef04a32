/**
 * Directory search as Graph does it: `startswith(displayName,'ad')`, or several such conditions joined
 * by `or` (the people picker's `startswith(displayName,'x') or startswith(userPrincipalName,'x') or
 * startswith(mail,'x')`), case-insensitive. Which part of a `$filter` is the search, and what matches it.
 */
import { conjuncts, type FilterNode } from './odata/filter.ts';

export interface SearchTerm {
  /** The property searched, e.g. 'displayName'. */
  property: string;
  /** The prefix as written (matched without regard to case). */
  prefix: string;
}

export interface SearchCondition {
  /** The conjunct of the filter that the terms came from (the rest of the filter is applied as written). */
  node: FilterNode;
  terms: SearchTerm[];
}

/** What each directory object type is found by (Graph's `startswith` on these works on users, groups and service principals). */
export const SEARCHABLE = {
  user: ['displayName', 'userPrincipalName', 'mail'],
  group: ['displayName', 'mail'],
  servicePrincipal: ['displayName'],
} as const satisfies Record<string, readonly string[]>;

/** More alternatives than properties would only repeat one. */
export const MAX_SEARCH_TERMS = 3;

/**
 * The first top-level conjunct that is a search over `searchable` properties: one `startswith`, or an
 * `or` of them (duplicates dropped). Undefined when there is none, or when it has more than
 * MAX_SEARCH_TERMS alternatives or an empty prefix (which would be the whole listing, not a search).
 */
export function searchConditionOf(node: FilterNode, searchable: readonly string[]): SearchCondition | undefined {
  for (const conjunct of conjuncts(node)) {
    const terms = termsOf(conjunct, searchable);
    if (!terms) continue;
    const unique = terms.filter((t, i) => terms.findIndex((o) => o.property === t.property && o.prefix.toLowerCase() === t.prefix.toLowerCase()) === i);
    if (unique.length > MAX_SEARCH_TERMS || unique.some((t) => t.prefix.length === 0)) return undefined;
    return { node: conjunct, terms: unique };
  }
  return undefined;
}

function termsOf(node: FilterNode, searchable: readonly string[]): SearchTerm[] | undefined {
  if (node.type === 'or') {
    const left = termsOf(node.left, searchable);
    const right = left && termsOf(node.right, searchable);
    return left && right ? [...left, ...right] : undefined;
  }
  if (node.type !== 'function' || node.name !== 'startswith' || node.path.length !== 1 || node.value.kind !== 'string') return undefined;
  const property = node.path[0]!;
  return searchable.includes(property) ? [{ property, prefix: node.value.value }] : undefined;
}

/** Whether an object's value of the term's property starts with its prefix, case aside (as Graph's does). */
export function matchesTerm(term: SearchTerm, object: Record<string, unknown>): boolean {
  const value = Object.hasOwn(object, term.property) ? object[term.property] : undefined;
  return typeof value === 'string' && value.toLowerCase().startsWith(term.prefix.toLowerCase());
}

export function matchesSearch(condition: SearchCondition, object: Record<string, unknown>): boolean {
  return condition.terms.some((term) => matchesTerm(term, object));
}
