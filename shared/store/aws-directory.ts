/**
 * What Stint keeps of AWS (shared/services/aws/): the permission sets it manages (served as role
 * definitions), the organization's accounts and OUs (to resolve OU eligibility without asking AWS on every
 * request), and each user's matched identity-store user.
 */
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { awsRoleDefinitionSchema, type AwsRoleDefinition } from '../contracts/aws-role-definitions.ts';
import { ConflictError } from '../domain/errors.ts';
import { isPermissionSetId } from '../domain/aws-access.ts';
import { keys } from './keys.ts';
import { listObjects } from './directory-objects.ts';
import type { ShardCursor } from './sharded-list.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export { awsRoleDefinitionSchema, type AwsRoleDefinition };

export interface StoredAwsRole {
  version: number;
  data: AwsRoleDefinition;
}

const parseRole = (item: Record<string, unknown>): StoredAwsRole => ({ version: Number(item.version), data: awsRoleDefinitionSchema.parse(item.data) });

export async function getAwsRole(table: TableContext, id: string): Promise<StoredAwsRole | undefined> {
  if (!isPermissionSetId(id)) return undefined;
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keyOnly(keys.awsRoleDefinition(id)), ConsistentRead: true }));
  return result.Item ? parseRole(result.Item) : undefined;
}

export async function listAwsRoles(table: TableContext): Promise<StoredAwsRole[]> {
  return (await listAll(table, 'awsRoleDefinition')).map(parseRole);
}

export function putAwsRole(role: AwsRoleDefinition, expectedVersion: number | undefined): ConditionalWrite {
  return {
    put: {
      Item: { ...keys.awsRoleDefinition(role.id), type: 'awsRoleDefinition', version: (expectedVersion ?? 0) + 1, data: role },
      ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(expectedVersion !== undefined && { ExpressionAttributeValues: { ':v': expectedVersion } }),
    },
    onConditionFailed: () => new ConflictError(`Role definition '${role.id}' changed meanwhile; try again.`, 'Request_ConcurrentModification'),
  };
}

export interface AwsAccount {
  id: string;
  name: string;
  status: string;
  /** OU and root ids above it, nearest first. */
  parents: string[];
}

export interface AwsUnit {
  id: string;
  name: string;
  parentId: string | null;
}

export async function getAwsAccount(table: TableContext, id: string): Promise<AwsAccount | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keyOnly(keys.awsAccount(id)), ConsistentRead: true }));
  return result.Item?.data as AwsAccount | undefined;
}

export async function getAwsUnit(table: TableContext, id: string): Promise<AwsUnit | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.awsUnit(id), ConsistentRead: true }));
  return result.Item?.data as AwsUnit | undefined;
}

export async function listAwsAccounts(table: TableContext): Promise<AwsAccount[]> {
  return (await listAll(table, 'awsAccount')).map((item) => item.data as AwsAccount);
}

export async function getAwsUnits(table: TableContext, ids: string[]): Promise<AwsUnit[]> {
  const found: AwsUnit[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const result = await table.db.send(
      new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: ids.slice(i, i + 100).map((id) => keys.awsUnit(id)) } } }),
    );
    found.push(...(result.Responses?.[table.tableName] ?? []).map((item) => item.data as AwsUnit));
  }
  return found;
}

/** The organization snapshot is a cache of AWS, not a change of Stint's: written plainly, item by item. */
export async function putAwsAccount(table: TableContext, account: AwsAccount): Promise<void> {
  await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.awsAccount(account.id), type: 'awsAccount', data: account } }));
}

export async function putAwsUnit(table: TableContext, unit: AwsUnit): Promise<void> {
  await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.awsUnit(unit.id), type: 'awsUnit', data: unit } }));
}

export interface AwsUserLink {
  /** The Stint user. */
  userId: string;
  identityStoreUserId: string;
  /** The identity-store userName it was matched by (the user's userPrincipalName then). */
  userName: string;
  matchedDateTime: string;
}

export async function getAwsUserLink(table: TableContext, userId: string): Promise<AwsUserLink | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.awsUser(userId), ConsistentRead: true }));
  return result.Item?.data as AwsUserLink | undefined;
}

/** The Stint user an identity-store user is matched to, if any. */
export async function getAwsUserOwner(table: TableContext, identityStoreUserId: string): Promise<string | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.awsUserOwner(identityStoreUserId), ConsistentRead: true }));
  return typeof result.Item?.userId === 'string' ? result.Item.userId : undefined;
}

/** The link and its reverse, in one change: an identity-store user is matched to one Stint user only. */
export function putAwsUserLink(link: AwsUserLink): ConditionalWrite[] {
  return [
    {
      put: { Item: { ...keys.awsUser(link.userId), type: 'awsUser', data: link }, ConditionExpression: 'attribute_not_exists(pk)' },
      onConditionFailed: () => new ConflictError('This user was matched to an Identity Center user meanwhile; try again.', 'Request_ConcurrentModification'),
    },
    {
      put: {
        Item: { ...keys.awsUserOwner(link.identityStoreUserId), type: 'awsUserOwner', userId: link.userId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      onConditionFailed: () =>
        new ConflictError(
          `Identity Center user '${link.userName}' is already matched to another Stint user; two people cannot share one AWS identity.`,
          'AwsIdentityTaken',
        ),
    },
  ];
}

function keyOnly(k: { pk: string; sk: string }) {
  return { pk: k.pk, sk: k.sk };
}

async function listAll(table: TableContext, type: 'awsRoleDefinition' | 'awsAccount'): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: ShardCursor | undefined;
  do {
    const page = await listObjects(table, type, 500, cursor);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}
