/**
 * Every key string of the table is built here and nowhere else. Prefixes keep entity types apart in the
 * overloaded indexes; lower-casing keeps look-ups by name or address case-insensitive, as Entra's are.
 */
import { createHash } from 'node:crypto';

/** Listings are spread over shards so that no entity type sits on one constant (hot) partition. */
export const LIST_SHARDS = 4;

export type DirectoryObjectType = 'user' | 'group' | 'servicePrincipal' | 'roleDefinition';

export function shardOf(id: string, shards = LIST_SHARDS): number {
  return createHash('sha1').update(id).digest()[0]! % shards;
}

const lower = (value: string) => value.trim().toLowerCase();

export const keys = {
  object: (id: string) => ({ pk: `OBJ#${id}`, sk: 'OBJ' }),
  listing: (type: DirectoryObjectType, id: string) => ({ gsi1pk: listingPartition(type, shardOf(id)), gsi1sk: id }),
  byMail: (type: DirectoryObjectType, mail: string, id: string) => ({ gsi2pk: `MAIL#${type}#${lower(mail)}`, gsi2sk: id }),
  byName: (type: DirectoryObjectType, name: string, id: string) => ({ gsi3pk: `NAME#${type}#${lower(name)}`, gsi3sk: id }),
  /** Uniqueness guard: an item whose existence reserves a value (userPrincipalName, appId, role name). */
  unique: (kind: 'UPN' | 'APPID' | 'ROLENAME', value: string) => ({ pk: `UNIQUE#${kind}#${lower(value)}`, sk: 'UNIQUE' }),
  membership: (groupId: string, memberId: string) => ({
    pk: `OBJ#${groupId}`,
    sk: `MEMBER#${memberId}`,
    gsi2pk: `MEMBEROF#${memberId}`,
    gsi2sk: groupId,
  }),
  audit: (chainId: string, activityDateTime: string, auditId: string) => ({
    pk: `AUDIT#${chainId}`,
    sk: `${activityDateTime}#${auditId}`,
    gsi1pk: `AUDITDAY#${activityDateTime.slice(0, 10)}`,
    gsi1sk: `${activityDateTime}#${auditId}`,
  }),
  /** An idempotency record for a create, found by the caller and a hash of the request. */
  idempotency: (callerId: string, fingerprint: string) => ({ pk: `IDEMP#${callerId}`, sk: fingerprint }),
};

export function listingPartition(type: DirectoryObjectType, shard: number): string {
  return `LIST#${type}#${shard}`;
}

export const prefixes = {
  member: 'MEMBER#',
  mail: (type: DirectoryObjectType, mail: string) => `MAIL#${type}#${lower(mail)}`,
  name: (type: DirectoryObjectType, name: string) => `NAME#${type}#${lower(name)}`,
  memberOf: (memberId: string) => `MEMBEROF#${memberId}`,
  auditDay: (day: string) => `AUDITDAY#${day}`,
};
