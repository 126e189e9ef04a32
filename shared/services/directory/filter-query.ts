/**
 * Turns a `$filter` into a plan: which equality the table can answer with one index query, and the
 * whole expression to apply to what the query returns. Anything the indexes cannot answer is refused
 * with the list of what is supported, rather than scanning the table.
 */
import { BadRequestError, UnsupportedQueryError } from '../../domain/errors.ts';
import { MAX_SEARCH_TERMS, searchConditionOf, type SearchCondition } from '../../domain/directory-search.ts';
import { equalityOn, evaluateFilter, FilterSyntaxError, parseFilter, type FilterNode } from '../../domain/odata/filter.ts';

export interface FilterPlan<K extends string> {
  node: FilterNode;
  /** An equality one index query answers (preferred: it matches few objects). */
  lookup?: { by: K; value: string };
  /** A `startswith` search (or an `or` of them) the search entries answer, in order of the value. */
  search?: SearchCondition;
}

export function parseODataFilter(text: string): FilterNode {
  try {
    return parseFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new BadRequestError(`Invalid $filter: ${error.message}`, 'BadRequest');
    throw error;
  }
}

/**
 * `indexed`: equality look-ups by name → property path; `searchable`: properties with search entries.
 * A filter needs one of them at its top level; anything else is refused with what is supported.
 */
export function planFilter<K extends string>(text: string, indexed: Record<K, string>, searchable: readonly string[] = []): FilterPlan<K> {
  const node = parseODataFilter(text);
  const search = searchable.length > 0 ? searchConditionOf(node, searchable) : undefined;
  for (const [by, path] of Object.entries(indexed) as [K, string][]) {
    const value = equalityOn(node, path);
    if (typeof value === 'string') return { node, lookup: { by, value }, search };
  }
  if (search) return { node, search };
  const supported = [...Object.values(indexed).map((p) => `${p} eq '…'`), ...searchable.map((p) => `startswith(${p},'…')`)].join(', ');
  const searches =
    searchable.length > 0 ? ` Up to ${MAX_SEARCH_TERMS} startswith conditions may be joined with 'or'; a startswith needs at least one character.` : '';
  throw new UnsupportedQueryError(`This $filter is not supported here. Use one of: ${supported} (optionally combined with 'and').${searches}`);
}

/** A predicate for in-memory lists: everything when there is no $filter; a 400 at once for a bad one. */
export function filterPredicate(text: string | undefined): (item: unknown) => boolean {
  const node = text ? parseODataFilter(text) : undefined;
  return (item) => !node || evaluateFilter(node, item);
}

export function matches(node: FilterNode, item: unknown): boolean {
  return evaluateFilter(node, item);
}
