/**
 * Someone who can write the table slips a record into an object's audit history without a chain link,
 * hoping it passes as a record from before chaining began. It must be reported as tampering.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { buildAuditRecord } from '../../shared/domain/audit.ts';
import { auditPut } from '../../shared/store/transact.ts';
import { apiClient, startTestStack, type ApiClient } from '../helpers/stack.ts';
import { userBody } from '../integration/api/support.ts';

const VERIFY = '/v1.0/auditLogs/directoryAudits/verify';

describe('an unlinked record inserted after the chain began', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let admin: string;
  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    admin = await api.token('admin@contoso.test');
  });
  afterAll(() => stack.stop());

  it('is reported as inserted, not counted as legacy', async () => {
    // Prepare: a user with a chained history
    const user = await api.call('POST', '/v1.0/users', { token: admin, body: userBody('forged.history') });
    expect(user.status).toBe(201);
    expect((await api.call('PATCH', `/v1.0/users/${user.body.id}`, { token: admin, body: { jobTitle: 'Before' } })).status).toBe(204);
    // Act: a forged record, dated now, written straight into the table with no link
    const forged = buildAuditRecord({
      id: 'aud_99999999999999999999999999',
      correlationId: 'forged',
      at: new Date(),
      caller: { kind: 'user', id: user.body.id, authMethods: ['pwd', 'mfa'] },
      category: 'RoleManagement',
      activity: 'Add member to role completed (PIM activation)',
      operationType: 'Assign',
      targets: [{ id: user.body.id, displayName: null, type: 'User', modifiedProperties: [] }],
    });
    const write = auditPut(forged, user.body.id);
    if (!('put' in write)) throw new Error('expected a put');
    const { db, tableName } = stack.runtime.services.table;
    await db.send(new PutCommand({ TableName: tableName, ...write.put }));
    // Assess
    const report = await api.call('GET', `${VERIFY}?chainId=${encodeURIComponent(user.body.id)}`, { token: admin });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.intact).toBe(false);
    expect(report.body.value[0]).toMatchObject({ unchainedLegacy: 0, firstFinding: { kind: 'inserted', recordId: forged.id } });
  });
});
