/**
 * The one listing routine behind /users, /groups and /servicePrincipals: without a filter it walks the
 * sharded listing index; with an equality it asks the index named by it and pages in memory (an equality
 * matches few objects); with a `startswith` search and no equality it pages through the search entries.
 */
import type { z } from 'zod';
import { matchesSearch } from '../../domain/directory-search.ts';
import { conjuncts, evaluateFilter, type FilterNode } from '../../domain/odata/filter.ts';
import type { DirectoryObjectType } from '../../store/keys.ts';
import { getObjectItems, listObjects, parseStored } from '../../store/directory-objects.ts';
import type { ShardCursor } from '../../store/sharded-list.ts';
import type { Page, Services } from '../context.ts';
import { pageInMemory } from '../paging.ts';
import { planFilter } from './filter-query.ts';
import { searchDirectoryObjects } from './search-objects.ts';

export interface ListOptions {
  filter?: string;
  top?: number;
  skipToken?: string;
}

export const DEFAULT_PAGE_SIZE = 100;

export async function listDirectoryObjects<T extends { id: string }, K extends string>(
  svc: Services,
  type: DirectoryObjectType,
  schema: z.ZodType<T>,
  options: ListOptions,
  lookups: { indexed: Record<K, string>; find: (by: K, value: string) => Promise<string[]>; searchable?: readonly string[] },
): Promise<Page<T>> {
  const top = options.top ?? DEFAULT_PAGE_SIZE;
  if (!options.filter) {
    const listing = `list:${type}`;
    const cursor = options.skipToken ? svc.pageTokens.decode<ShardCursor>(listing, options.skipToken) : undefined;
    const page = await listObjects(svc.table, type, top, cursor);
    return {
      items: page.items.map((item) => parseStored(item, schema).data),
      nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined,
    };
  }
  const plan = planFilter(options.filter, lookups.indexed, lookups.searchable ?? []);
  const search = plan.search;
  const usedEquality = plan.lookup && lookups.indexed[plan.lookup.by];
  const residual = conjuncts(plan.node).filter((c) => c !== search?.node && !(usedEquality && isUsedEquality(c, usedEquality)));
  // The search condition is matched without regard to case, as Graph's is; the rest exactly as written.
  const passes = (object: T) =>
    residual.every((c) => evaluateFilter(c, object)) && (!search || matchesSearch(search, object as unknown as Record<string, unknown>));
  if (!plan.lookup && search) return searchDirectoryObjects(svc, type, schema, search, passes, `search:${type}:${options.filter}`, top, options.skipToken);
  const ids = plan.lookup ? await lookups.find(plan.lookup.by, plan.lookup.value) : [];
  const all = (await getObjectItems(svc.table, ids))
    .filter((item) => item.type === type)
    .map((item) => parseStored(item, schema).data)
    .filter(passes)
    .sort((a, b) => a.id.localeCompare(b.id));
  return pageInMemory(svc, `filter:${type}:${options.filter}`, all, top, options.skipToken);
}

function isUsedEquality(node: FilterNode, path: string): boolean {
  return node.type === 'compare' && node.op === 'eq' && node.path.join('/') === path;
}
