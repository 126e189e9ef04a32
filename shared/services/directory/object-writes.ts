/**
 * Create, replace and delete of a directory object with its uniqueness guards and audit record, as one
 * transaction. Users, groups, service principals and custom roles differ only in what they pass here.
 */
import { diffProperties, type AuditCategory, type TargetType } from '../../domain/audit.ts';
import type { DirectoryObjectType } from '../../store/keys.ts';
import { deleteObject, putNewObject, releaseUnique, replaceObject, reserveUnique, type ObjectLookups } from '../../store/directory-objects.ts';
import { searchEntryWrites, type SearchValues } from '../../store/directory-search.ts';
import { commitChange, type ConditionalWrite } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, Services } from '../context.ts';

export interface UniqueValue {
  kind: 'UPN' | 'APPID' | 'ROLENAME';
  value: string;
  message: string;
}

export interface ObjectKind {
  type: DirectoryObjectType;
  category: AuditCategory;
  targetType: TargetType;
  /** Entra's activity names, e.g. { add: 'Add user', update: 'Update user', delete: 'Delete user' }. */
  activities: { add: string; update: string; delete: string };
  /** Properties found by `startswith` search; their entries move with every write of the object (directory-search.ts). */
  searchable?: readonly string[];
}

/** Search entries written or deleted by a delete, per searchable property (a user's three: budgets of deletes count them). */
export const MAX_SEARCH_ENTRIES = 3;

function searchValues(kind: ObjectKind, object: object | undefined): SearchValues | undefined {
  if (!object || !kind.searchable) return undefined;
  const record = object as Record<string, unknown>;
  return Object.fromEntries(kind.searchable.map((p) => [p, typeof record[p] === 'string' ? record[p] : null]));
}

function searchWrites(kind: ObjectKind, id: string, before: object | undefined, after: object | undefined): ConditionalWrite[] {
  return kind.searchable ? searchEntryWrites(kind.type, id, searchValues(kind, before), searchValues(kind, after)) : [];
}

interface Named {
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

function target(kind: ObjectKind, object: Named, before: object | null, after: object | null) {
  return {
    id: object.id,
    displayName: object.displayName,
    type: kind.targetType,
    userPrincipalName: object.userPrincipalName ?? null,
    modifiedProperties: diffProperties(before as Record<string, unknown> | null, after as Record<string, unknown> | null),
  };
}

export async function createObject<T extends Named>(
  svc: Services,
  actor: Actor,
  kind: ObjectKind,
  object: T,
  lookups: ObjectLookups,
  uniques: UniqueValue[],
  extraWrites: ConditionalWrite[] = [],
): Promise<T> {
  const writes = [
    putNewObject(kind.type, object.id, object, lookups),
    ...uniques.map((u) => reserveUnique(u.kind, u.value, object.id, u.message)),
    ...searchWrites(kind, object.id, undefined, object),
    ...extraWrites,
  ];
  const audit = auditOf(svc, actor, {
    category: kind.category,
    activity: kind.activities.add,
    operationType: 'Add',
    targets: [target(kind, object, null, object)],
  });
  await commitChange(svc.table, writes, audit);
  return object;
}

export async function replaceObjectVersion<T extends Named>(
  svc: Services,
  actor: Actor,
  kind: ObjectKind,
  current: { version: number; data: T },
  next: T,
  lookups: ObjectLookups,
  uniqueChanges: { release: UniqueValue[]; reserve: UniqueValue[] } = { release: [], reserve: [] },
): Promise<T> {
  const writes = [
    replaceObject(kind.type, next.id, next, lookups, current.version),
    ...uniqueChanges.release.map((u) => releaseUnique(u.kind, u.value, next.id)),
    ...uniqueChanges.reserve.map((u) => reserveUnique(u.kind, u.value, next.id, u.message)),
    ...searchWrites(kind, next.id, current.data, next),
  ];
  const audit = auditOf(svc, actor, {
    category: kind.category,
    activity: kind.activities.update,
    operationType: 'Update',
    targets: [target(kind, next, current.data, next)],
  });
  await commitChange(svc.table, writes, audit);
  return next;
}

export async function removeObject<T extends Named>(
  svc: Services,
  actor: Actor,
  kind: ObjectKind,
  current: { version: number; data: T },
  uniques: UniqueValue[],
  extraWrites: ConditionalWrite[] = [],
  details?: Record<string, string>,
): Promise<void> {
  const writes = [
    deleteObject(current.data.id, current.version),
    ...uniques.map((u) => releaseUnique(u.kind, u.value, current.data.id)),
    ...searchWrites(kind, current.data.id, current.data, undefined),
    ...extraWrites,
  ];
  const audit = auditOf(svc, actor, {
    category: kind.category,
    activity: kind.activities.delete,
    operationType: 'Delete',
    targets: [target(kind, current.data, current.data, null)],
    details,
  });
  await commitChange(svc.table, writes, audit);
}
