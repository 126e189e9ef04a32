/**
 * The Cognito pre-token trigger against DynamoDB Local: a person's first sign-in adds them to the
 * directory (linked to the user an administrator made with their address, or created), later sign-ins
 * change nothing, and a directory failure never fails the sign-in.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, poolIssuer } from '../../../functions/identity/pre-token.ts';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { SYSTEM_CALLER } from '../../../shared/domain/caller.ts';
import type { Services } from '../../../shared/services/context.ts';
import { createUser, resolveUserId } from '../../../shared/services/directory/users.ts';
import { linkedUser } from '../../../shared/store/identities.ts';
import { startTestStack } from '../../helpers/stack.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack({ seed: false });
});
afterAll(() => stack?.stop());

function event(sub: string, email: string, verified = 'true'): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Pool',
    userName: sub,
    callerContext: { awsSdkVersion: 'x', clientId: 'client' },
    request: {
      userAttributes: { sub, email, email_verified: verified, name: 'Grace Hopper' },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
      scopes: [],
    },
    response: { claimsAndScopeOverrideDetails: null },
  } as unknown as PreTokenGenerationV2TriggerEvent;
}

describe('the pre-token trigger', () => {
  const svc = () => stack.runtime.services;
  const issuer = poolIssuer({ region: 'eu-west-1', userPoolId: 'eu-west-1_Pool' });

  it('creates the person in the directory at their first sign-in, and links their subject', async () => {
    const handler = createHandler(svc);
    const out = await handler(event('sub-1', 'Grace@Example.com'));
    expect(out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toMatchObject({ upn: 'grace@example.com' });
    const userId = await resolveUserId(svc(), 'grace@example.com');
    expect(userId).toBeDefined();
    expect(await linkedUser(svc().table, issuer, 'sub-1')).toBe(userId);
    await handler(event('sub-1', 'grace@example.com'));
    expect(await resolveUserId(svc(), 'grace@example.com')).toBe(userId);
  });

  it('links to the user an administrator made beforehand with the same address', async () => {
    const made = await createUser(
      svc(),
      { caller: SYSTEM_CALLER, correlationId: 't', system: true },
      { displayName: 'Ada', userPrincipalName: 'ada@example.com' },
    );
    await createHandler(svc)(event('sub-2', 'ada@example.com'));
    expect(await linkedUser(svc().table, issuer, 'sub-2')).toBe(made.id);
  });

  it('adds nobody for an unverified address, and still signs in when the directory fails', async () => {
    await createHandler(svc)(event('sub-3', 'mallory@example.com', 'false'));
    expect(await resolveUserId(svc(), 'mallory@example.com')).toBeUndefined();
    const broken = () => ({ ...svc(), table: { ...svc().table, tableName: 'no-such-table' } }) as Services;
    const out = await createHandler(broken)(event('sub-4', 'eve@example.com'));
    expect(out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toMatchObject({ upn: 'eve@example.com' });
  });
});
