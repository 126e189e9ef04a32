/**
 * The Step Functions task token of a run waiting on a request's approval, kept on the request item
 * (outside its versioned data, so storing it never conflicts with a decision). Any later put of the
 * request drops it; the stream handler reads it from the old image to wake the run.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';

export const TASK_TOKEN_ATTRIBUTE = 'taskToken';

/** Stores the token while the request is still PendingApproval; false if it no longer is. */
export async function storeTaskToken(table: TableContext, requestId: string, taskToken: string): Promise<boolean> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.request(requestId),
        UpdateExpression: 'SET #token = :token',
        ConditionExpression: '#data.#status = :pending',
        ExpressionAttributeNames: { '#token': TASK_TOKEN_ATTRIBUTE, '#data': 'data', '#status': 'status' },
        ExpressionAttributeValues: { ':token': taskToken, ':pending': 'PendingApproval' },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
