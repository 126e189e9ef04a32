/**
 * Reviewers named on a definition, as the users who review: a user as such, a group as its user members
 * now (through groups nested in it, once each). Resolved when an instance starts and kept with it, so a
 * reviewer who leaves the group still finishes the review they were given.
 */
import { BadRequestError } from '../../domain/errors.ts';
import { parseReviewerQuery, type QueryScope, type ReviewerRef } from '../../domain/access-reviews/scope.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { allMembersOf } from '../../store/memberships.ts';
import type { Services } from '../context.ts';

export function parseReviewers(queries: QueryScope[], field: string): ReviewerRef[] {
  return queries.map((q, i) => parseReviewerQuery(q, `${field}[${i}]`));
}

/** Every named reviewer must exist, as the kind of object the query says. */
export async function checkReviewersExist(svc: Services, refs: ReviewerRef[], field: string): Promise<void> {
  const found = new Map(
    (
      await getObjectItems(
        svc.table,
        refs.map((r) => r.id),
      )
    ).map((o) => [String((o.data as { id: string }).id), String(o.type)]),
  );
  for (const ref of refs) {
    if (found.get(ref.id) !== ref.kind) throw new BadRequestError(`${field}: ${ref.kind} '${ref.id}' does not exist.`);
  }
}

export async function resolveReviewerIds(svc: Services, refs: ReviewerRef[]): Promise<string[]> {
  const users = new Set<string>();
  const seenGroups = new Set<string>();
  const existing = new Map(
    (
      await getObjectItems(
        svc.table,
        refs.map((r) => r.id),
      )
    ).map((o) => [String((o.data as { id: string }).id), String(o.type)]),
  );
  const visit = async (groupId: string): Promise<void> => {
    if (seenGroups.has(groupId)) return;
    seenGroups.add(groupId);
    for (const m of await allMembersOf(svc.table, groupId)) {
      if (m.type === 'user') users.add(m.id);
      else if (m.type === 'group') await visit(m.id);
    }
  };
  for (const ref of refs) {
    if (ref.kind === 'user' && existing.get(ref.id) === 'user') users.add(ref.id);
    if (ref.kind === 'group' && existing.get(ref.id) === 'group') await visit(ref.id);
  }
  return [...users];
}
