/**
 * Account assignments on managed permission sets that Stint never granted ("assigned outside Stint"), one
 * item each while it stays. The reconciler puts it once, in the transaction of its audit record; the item's
 * insertion on the stream is what emails the administrators and publishes the event (so one email per
 * assignment, not one every run). Deleted once the assignment is gone, so a new one is reported again.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { assignmentKeyString, type AssignmentKey } from '../domain/aws-access.ts';
import type { OutsideAssignmentItem } from '../domain/notifications/types.ts';
import { ConflictError } from '../domain/errors.ts';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export const OUTSIDE_ITEM_TYPE = 'awsOutsideAssignment';

/** Put once: a second report of the same assignment fails its condition (code AwsOutsideKnown). */
export function putOutsideAssignment(item: OutsideAssignmentItem): ConditionalWrite {
  return {
    put: { Item: { ...keys.awsOutside(assignmentKeyString(item)), type: OUTSIDE_ITEM_TYPE, ...item }, ConditionExpression: 'attribute_not_exists(pk)' },
    onConditionFailed: () => new ConflictError('This assignment outside Stint was reported already.', 'AwsOutsideKnown'),
  };
}

export async function listOutsideAssignments(table: TableContext): Promise<OutsideAssignmentItem[]> {
  const found: OutsideAssignmentItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.awsOutside('').pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      found.push({
        accountId: String(item.accountId),
        permissionSetId: String(item.permissionSetId),
        userId: String(item.userId),
        permissionSetArn: String(item.permissionSetArn),
        principalId: typeof item.principalId === 'string' ? item.principalId : null,
        at: String(item.at),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

export async function deleteOutsideAssignment(table: TableContext, key: AssignmentKey): Promise<void> {
  await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: keys.awsOutside(assignmentKeyString(key)) }));
}
