/**
 * `startswith` search of users, groups and service principals from their search entries
 * (shared/store/directory-search.ts), never a scan: each term reads its own partition in order of the
 * lower-cased value, the terms are merged as sorted lists, and each hit's object is read and checked.
 *
 * An object matching several terms (a user whose name and address both start with "ad") is shown once, at
 * its first place in the merged order: whichever entry is reached there shows it, every other entry of it is
 * passed over. That needs no memory of earlier pages, so paging stays exact across pages.
 */
import type { z } from 'zod';
import { matchesTerm, type SearchCondition } from '../../domain/directory-search.ts';
import { BadRequestError } from '../../domain/errors.ts';
import type { DirectoryObjectType } from '../../store/keys.ts';
import { getObjectItems, parseStored } from '../../store/directory-objects.ts';
import { searchPage, searchPosition, type SearchHit } from '../../store/directory-search.ts';
import type { Page, Services } from '../context.ts';

/**
 * Per term: the position of the last entry read, '' before the first, null once used up. Travels in the
 * signed page token, bound to the filter.
 */
type SearchCursor = (string | null)[];

/**
 * A page reads at most MAX_ROUNDS rounds of at most ROUND_SIZE hits (one BatchGet of objects each): a
 * filter whose other conditions match nothing costs a bounded read, whoever sends it. Then the page ends
 * short, with a nextLink, as Graph's pages may.
 */
const MAX_ROUNDS = 4;
const ROUND_SIZE = 100;

interface Place {
  position: string;
  term: number;
}

export async function searchDirectoryObjects<T extends { id: string }>(
  svc: Services,
  type: DirectoryObjectType,
  schema: z.ZodType<T>,
  condition: SearchCondition,
  passes: (object: T) => boolean,
  listing: string,
  top: number,
  skipToken?: string,
): Promise<Page<T>> {
  let cursor = skipToken ? svc.pageTokens.decode<SearchCursor>(listing, skipToken) : condition.terms.map(() => '');
  if (!Array.isArray(cursor) || cursor.length !== condition.terms.length)
    throw new BadRequestError('The $skiptoken is not valid for this request.', 'Request_InvalidSkipToken');
  const found: T[] = [];
  for (let round = 0; round < MAX_ROUNDS && found.length < top && cursor.some((c) => c !== null); round++) {
    const need = Math.min(top - found.length, ROUND_SIZE);
    const pages = await Promise.all(
      condition.terms.map((term, i) =>
        cursor[i] === null
          ? { hits: [] as SearchHit[], exhausted: true }
          : searchPage(svc.table, type, term.property, term.prefix, need + 1, cursor[i] || undefined),
      ),
    );
    // Every term read `need` entries and one more (or all it had), so the first `need` of the merge are in
    // their final order, and a term that returned fewer is known to be used up (no nextLink to an empty page).
    const taken = pages
      .flatMap((page, term) => page.hits.map((hit) => ({ hit, term })))
      .sort((a, b) => byteOrder(a.hit.position, b.hit.position) || a.term - b.term)
      .slice(0, need);
    const objects = new Map(
      (
        await getObjectItems(
          svc.table,
          taken.map((t) => t.hit.objectId),
        )
      )
        .filter((item) => item.type === type)
        .map((item) => parseStored(item, schema).data)
        .map((object) => [object.id, object] as const),
    );
    for (const { hit, term } of taken) {
      const object = objects.get(hit.objectId);
      const first = object && firstPlace(type, condition, object);
      if (object && first && first.position === hit.position && first.term === term && passes(object)) found.push(object);
    }
    cursor = cursor.map((at, i) => {
      if (at === null) return null;
      const read = taken.filter((t) => t.term === i);
      if (pages[i]!.exhausted && read.length === pages[i]!.hits.length) return null;
      return read.at(-1)?.hit.position ?? at;
    });
  }
  return { items: found, nextToken: cursor.some((c) => c !== null) ? svc.pageTokens.encode(listing, cursor) : undefined };
}

/** The object's earliest place among the terms it matches: where it is shown. */
function firstPlace(type: DirectoryObjectType, condition: SearchCondition, object: { id: string }): Place | undefined {
  const record = object as unknown as Record<string, unknown>;
  let first: Place | undefined;
  condition.terms.forEach((term, index) => {
    if (!matchesTerm(term, record)) return;
    const position = searchPosition(type, term.property, String(record[term.property]), object.id);
    if (!first || byteOrder(position, first.position) < 0) first = { position, term: index };
  });
  return first;
}

/** DynamoDB orders string keys by their UTF-8 bytes; the merge must agree with it, also beyond the BMP. */
function byteOrder(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}
