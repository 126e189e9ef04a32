/**
 * Turns a `$filter` into a plan: which equality the table can answer with one index query, and the
 * whole expression to apply to what the query returns. Anything the indexes cannot answer is refused
 * with the list of what is supported, rather than scanning the table.
 */
import { BadRequestError, UnsupportedQueryError } from '../../domain/errors.ts';
import { equalityOn, evaluateFilter, FilterSyntaxError, parseFilter, type FilterNode } from '../../domain/odata/filter.ts';

export interface FilterPlan<K extends string> {
  node: FilterNode;
  lookup: { by: K; value: string };
}

export function parseODataFilter(text: string): FilterNode {
  try {
    return parseFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new BadRequestError(`Invalid $filter: ${error.message}`, 'BadRequest');
    throw error;
  }
}

export function planFilter<K extends string>(text: string, indexed: Record<K, string>): FilterPlan<K> {
  const node = parseODataFilter(text);
  for (const [by, path] of Object.entries(indexed) as [K, string][]) {
    const value = equalityOn(node, path);
    if (typeof value === 'string') return { node, lookup: { by, value } };
  }
  const supported = Object.values(indexed)
    .map((p) => `${p} eq '…'`)
    .join(', ');
  throw new UnsupportedQueryError(`This $filter is not supported here. Use one of: ${supported} (optionally combined with 'and').`);
}

/** A predicate for in-memory lists: everything when there is no $filter; a 400 at once for a bad one. */
export function filterPredicate(text: string | undefined): (item: unknown) => boolean {
  const node = text ? parseODataFilter(text) : undefined;
  return (item) => !node || evaluateFilter(node, item);
}

export function matches(node: FilterNode, item: unknown): boolean {
  return evaluateFilter(node, item);
}
