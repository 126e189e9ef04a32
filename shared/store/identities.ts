/**
 * Sign-in identities: which directory user a token's (issuer, subject) signs in as. Written once, the
 * first time the identity is seen, under a condition, so two first requests at once agree.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';

export async function linkedUser(table: TableContext, issuer: string, subject: string): Promise<string | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.identity(issuer, subject), ConsistentRead: true }));
  return typeof result.Item?.userId === 'string' ? result.Item.userId : undefined;
}

/** Links the identity to the user; if it was linked meanwhile, the existing link wins and is returned. */
export async function linkIdentity(table: TableContext, issuer: string, subject: string, userId: string, at: Date): Promise<string> {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.identity(issuer, subject), type: 'identity', issuer, subject, userId, linkedDateTime: at.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return userId;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return (await linkedUser(table, issuer, subject)) ?? userId;
  }
}
