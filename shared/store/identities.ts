/**
 * Sign-in identities: which directory user a token's (issuer, subject) signs in as, and, per user, the
 * list of their identities. Both are written in the transaction that links (with its audit record):
 * the identity under "not linked yet", the list under "the user has none yet" for a link made at
 * sign-in, so two first requests at once, or two identities claiming one user, cannot both win.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, type DomainError } from '../domain/errors.ts';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export interface SignInIdentity {
  issuer: string;
  subject: string;
  linkedDateTime: string;
}

export async function linkedUser(table: TableContext, issuer: string, subject: string): Promise<string | undefined> {
  return (await identityState(table, issuer, subject))?.userId;
}

/** Where an identity leads: a user, or nowhere because its user was deleted (`removed`); undefined if never seen. */
export async function identityState(table: TableContext, issuer: string, subject: string): Promise<{ userId?: string; removed: boolean } | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.identity(issuer, subject), ConsistentRead: true }));
  if (!result.Item) return undefined;
  return typeof result.Item.userId === 'string' ? { userId: result.Item.userId, removed: false } : { removed: true };
}

export async function identitiesOf(table: TableContext, userId: string): Promise<SignInIdentity[]> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.identitiesOf(userId), ConsistentRead: true }));
  return Array.isArray(result.Item?.identities) ? (result.Item.identities as SignInIdentity[]) : [];
}

/**
 * The writes that link an identity to a user. `onlyLink`: the user must have no identity yet (a link
 * made at sign-in); otherwise it is added to those they have (a link an administrator makes).
 */
export function linkWrites(
  link: SignInIdentity & { userId: string },
  options: { onlyLink: boolean; onLinked: () => DomainError; onUserLinked: () => DomainError },
): ConditionalWrite[] {
  const { userId, ...identity } = link;
  const entry = { issuer: identity.issuer, subject: identity.subject, linkedDateTime: identity.linkedDateTime };
  return [
    {
      // An identity whose user was deleted is linked again only by an administrator.
      put: {
        Item: { ...keys.identity(identity.issuer, identity.subject), type: 'identity', ...entry, userId },
        ConditionExpression: options.onlyLink ? 'attribute_not_exists(pk)' : 'attribute_not_exists(pk) OR attribute_not_exists(userId)',
      },
      onConditionFailed: options.onLinked,
    },
    options.onlyLink
      ? {
          put: { Item: { ...keys.identitiesOf(userId), type: 'identities', userId, identities: [entry] }, ConditionExpression: 'attribute_not_exists(pk)' },
          onConditionFailed: options.onUserLinked,
        }
      : {
          update: {
            Key: keys.identitiesOf(userId),
            UpdateExpression: 'SET #type = :type, userId = :user, identities = list_append(if_not_exists(identities, :none), :entry)',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':type': 'identities', ':user': userId, ':none': [], ':entry': [entry] },
          },
        },
  ];
}

/**
 * The writes that remove all of a user's identities (with the user). Each identity keeps a tombstone, so
 * that a deleted user's tokens lead nowhere rather than to a user created afresh from their claims.
 */
export function unlinkAllWrites(userId: string, identities: SignInIdentity[], at: Date): ConditionalWrite[] {
  const changed = () => new ConflictError("The user's sign-in identities changed meanwhile; try again.", 'Request_ConcurrentModification');
  return [
    ...identities.map((i): ConditionalWrite => ({
      update: {
        Key: keys.identity(i.issuer, i.subject),
        UpdateExpression: 'REMOVE userId SET removedUserId = :user, removedDateTime = :at',
        ConditionExpression: 'userId = :user',
        ExpressionAttributeValues: { ':user': userId, ':at': at.toISOString() },
      },
      onConditionFailed: changed,
    })),
    identities.length > 0
      ? {
          delete: { Key: keys.identitiesOf(userId), ConditionExpression: 'size(identities) = :n', ExpressionAttributeValues: { ':n': identities.length } },
          onConditionFailed: changed,
        }
      : { check: { Key: keys.identitiesOf(userId), ConditionExpression: 'attribute_not_exists(pk)' }, onConditionFailed: changed },
  ];
}
