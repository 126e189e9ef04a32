/**
 * The first-administrator custom resource's handler, against DynamoDB Local, answering a stand-in for
 * CloudFormation's pre-signed response URL: creates the user and the permanent Global Administrator
 * assignment once, changes nothing when run again, reports bad input as FAILED (a deploy never hangs),
 * and removes nothing on Delete.
 */
import { createServer, type Server } from 'node:http';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/jobs/first-administrator.ts';
import { listen } from '../../../infra/local/http-server.ts';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import { getUser, resolveUserId } from '../../../shared/services/directory/users.ts';
import { holdingsOf } from '../../../shared/services/roles/holdings/principal-access.ts';
import { startTestStack } from '../../helpers/stack.ts';

let stack: LocalStack;
let server: Server;
let responseUrl: string;
const responses: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startTestStack({ seed: false });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      responses.push(JSON.parse(body) as Record<string, unknown>);
      res.end();
    });
  });
  responseUrl = `http://127.0.0.1:${await listen(server, 0)}/response`;
});

afterAll(async () => {
  server?.close();
  await stack?.stop();
});

function event(requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, string>): CloudFormationCustomResourceEvent {
  const base = {
    ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:x',
    ResponseURL: responseUrl,
    StackId: 'stack',
    RequestId: `r-${responses.length}`,
    LogicalResourceId: 'FirstAdministrator',
    ResourceType: 'Custom::StintFirstAdministrator',
    ResourceProperties: { ServiceToken: 'x', ...properties },
  };
  return (
    requestType === 'Create'
      ? { ...base, RequestType: 'Create' }
      : { ...base, RequestType: requestType, PhysicalResourceId: 'stint-first-administrator', OldResourceProperties: {} }
  ) as CloudFormationCustomResourceEvent;
}

const globalAdministrators = async (userId: string) =>
  (await holdingsOf(stack.runtime.services, userId, 'assignment')).filter(
    (h) => h.schedule.roleDefinitionId === BUILTIN_ROLE_IDS.globalAdministrator && h.schedule.endDateTime === null,
  );

describe('the first Global Administrator custom resource', () => {
  const handler = () => createHandler(() => stack.runtime.services);

  it('adds the user and makes them a permanent Global Administrator, once', async () => {
    await handler()(event('Create', { UserPrincipalName: 'ada@example.com', DisplayName: 'Ada Lovelace' }));
    expect(responses.at(-1)).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'stint-first-administrator',
      LogicalResourceId: 'FirstAdministrator',
      Data: { UserId: expect.stringMatching(/^usr_/) },
    });
    const userId = (await resolveUserId(stack.runtime.services, 'ada@example.com'))!;
    expect(await globalAdministrators(userId)).toHaveLength(1);

    await handler()(event('Update', { UserPrincipalName: 'ada@example.com' }));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS', Reason: expect.stringContaining('already was') });
    expect(await globalAdministrators(userId)).toHaveLength(1);
  });

  it('reports a bad name as FAILED with a reason, and changes nothing', async () => {
    await handler()(event('Create', { UserPrincipalName: 'not a name' }));
    expect(responses.at(-1)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('user principal name') });
    await expect(getUser(stack.runtime.services, 'not a name')).rejects.toThrow(/does not exist/);
  });

  it('removes nothing on Delete', async () => {
    await handler()(event('Delete', { UserPrincipalName: 'ada@example.com' }));
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    expect(await globalAdministrators((await resolveUserId(stack.runtime.services, 'ada@example.com'))!)).toHaveLength(1);
  });
});
