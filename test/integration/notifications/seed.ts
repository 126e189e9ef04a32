/** A table of its own on the shared DynamoDB Local, with the directory, holders and policy the outbox reads. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { ensureTable } from '../../../infra/local/create-table.ts';
import type { NotificationRule } from '../../../shared/contracts/policy-rules.ts';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import type { Schedule } from '../../../shared/domain/schedule.ts';
import { defaultPolicy } from '../../../shared/services/roles/policies/effective-policy.ts';
import { createDocumentClient } from '../../../shared/store/client.ts';
import { keys } from '../../../shared/store/keys.ts';
import { addMembership } from '../../../shared/store/memberships.ts';
import { savePolicy } from '../../../shared/store/policies.ts';
import { scheduleItem } from '../../../shared/store/role-schedules.ts';
import type { TableContext } from '../../../shared/store/table-context.ts';
import { schedule } from '../../helpers/notification-fixtures.ts';
import { dynamoEndpoint } from '../../helpers/dynamo-endpoint.ts';

export async function createTestTable(prefix: string): Promise<TableContext> {
  const endpoint = dynamoEndpoint();
  const tableName = `${prefix}-${randomBytes(6).toString('hex')}`;
  const admin = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(admin, tableName);
  admin.destroy();
  return { db: createDocumentClient({ region: 'us-east-1', endpoint }), tableName };
}

const put = (table: TableContext, Item: Record<string, unknown>) => table.db.send(new PutCommand({ TableName: table.tableName, Item }));

export async function putUser(table: TableContext, id: string, displayName: string, mail: string | null, upn = `${id}@contoso.test`): Promise<void> {
  await put(table, {
    ...keys.object(id),
    ...keys.listing('user', id),
    type: 'user',
    version: 1,
    data: { id, displayName, userPrincipalName: upn, mail, accountEnabled: true },
  });
}

export async function putGroup(table: TableContext, id: string, displayName: string, memberIds: string[]): Promise<void> {
  await put(table, { ...keys.object(id), ...keys.listing('group', id), type: 'group', version: 1, data: { id, displayName } });
  for (const memberId of memberIds) {
    for (const write of addMembership(id, memberId, 'user', '2025-01-01T00:00:00.000Z')) if ('put' in write) await put(table, write.put.Item!);
  }
}

/** A permanent active assignment of an administrator role, in force. */
export async function putAdminHolder(
  table: TableContext,
  principalId: string,
  principalType: Schedule['principalType'],
  roleId: string = BUILTIN_ROLE_IDS.globalAdministrator,
): Promise<void> {
  const id = `req_holder_${principalId}`;
  await put(
    table,
    scheduleItem(
      schedule({
        id,
        createdUsing: id,
        principalId,
        principalType,
        roleDefinitionId: roleId,
        startDateTime: '2024-01-01T00:00:00.000Z',
        endDateTime: null,
        expirationType: 'noExpiration',
      }),
      1,
    ),
  );
}

/** Stores the role's tenant-wide policy with some notification rules changed. */
export async function putPolicy(table: TableContext, roleId: string, changes: Record<string, Partial<NotificationRule>>): Promise<void> {
  const policy = defaultPolicy(roleId, '/');
  policy.rules = policy.rules.map((r) => (changes[r.id] ? ({ ...r, ...changes[r.id] } as typeof r) : r));
  const write = savePolicy(policy, roleId, undefined);
  if ('put' in write) await put(table, write.put.Item!);
}
