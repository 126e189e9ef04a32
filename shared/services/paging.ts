import type { Page, Services } from './context.ts';

/** Pages a list already in memory; the token is the signed offset, bound to the listing it came from. */
export function pageInMemory<T>(svc: Services, listing: string, all: T[], top: number, skipToken?: string): Page<T> {
  const offset = skipToken ? svc.pageTokens.decode<number>(listing, skipToken) : 0;
  const more = offset + top < all.length;
  return { items: all.slice(offset, offset + top), nextToken: more ? svc.pageTokens.encode(listing, offset + top) : undefined };
}
