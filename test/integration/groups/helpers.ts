/** Helpers for the PIM for groups integration tests, on top of the roles helpers (same stack, users, groups). */
import { expect } from 'vitest';
import type { Caller } from '../../../shared/domain/caller.ts';
import { groupPolicyId } from '../../../shared/services/roles/policies/policy-ids.ts';
import { updatePolicyRule } from '../../../shared/services/roles/policies/update-policy-rule.ts';
import { filter, type CallResult, type Ctx, type TestUser } from '../roles/helpers.ts';

export const GROUP_BASE = '/v1.0/identityGovernance/privilegedAccess/group';
export const GROUP_REQUESTS = { eligibility: `${GROUP_BASE}/eligibilityScheduleRequests`, assignment: `${GROUP_BASE}/assignmentScheduleRequests` } as const;

export interface GroupRequestOptions {
  action?: string;
  accessId?: 'member' | 'owner';
  duration?: string;
  end?: string;
  justification?: string | null;
}

export function groupRequestBody(principalId: string, groupId: string, o: GroupRequestOptions = {}): Record<string, unknown> {
  const expiration = o.end
    ? { type: 'afterDateTime', endDateTime: o.end }
    : o.duration
      ? { type: 'afterDuration', duration: o.duration }
      : { type: 'noExpiration' };
  return {
    action: o.action ?? 'adminAssign',
    accessId: o.accessId ?? 'member',
    principalId,
    groupId,
    ...(o.justification === null ? {} : { justification: o.justification ?? 'Needed for the test' }),
    scheduleInfo: { expiration },
  };
}

export async function postGroup(ctx: Ctx, kind: 'eligibility' | 'assignment', body: unknown, token?: string): Promise<CallResult> {
  return ctx.api.call('POST', GROUP_REQUESTS[kind], { token: token ?? (await ctx.admin()), body });
}

/** The admin makes a principal eligible for a group's membership (or ownership), for `days` days (groups' default policy wants an end). */
export async function makeGroupEligible(ctx: Ctx, principalId: string, groupId: string, o: GroupRequestOptions = {}): Promise<any> {
  const result = await postGroup(ctx, 'eligibility', groupRequestBody(principalId, groupId, { duration: 'P30D', ...o }));
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body;
}

/** selfActivate of a group membership (or ownership) by the user. */
export async function activateGroup(ctx: Ctx, user: TestUser, groupId: string, o: GroupRequestOptions = {}): Promise<CallResult> {
  return postGroup(ctx, 'assignment', groupRequestBody(user.id, groupId, { duration: 'PT2H', ...o, action: 'selfActivate' }), await ctx.api.token(user.upn));
}

/** An access decision about a user and an action at '/'. */
export async function decide(ctx: Ctx, subjectId: string, action: string): Promise<any> {
  const result = await ctx.api.call('POST', '/access/v1/evaluation', {
    token: await ctx.admin(),
    body: { subject: { type: 'user', id: subjectId }, action: { name: action }, resource: { type: 'scope', id: '/' } },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

/** PATCHes one rule of a group's member (or owner) policy, through the policy service as the admin. */
export async function patchGroupRule(ctx: Ctx, groupId: string, accessId: 'member' | 'owner', ruleId: string, body: Record<string, unknown>): Promise<void> {
  const caller: Caller = { kind: 'user', id: ctx.adminId, displayName: 'Ada Admin', authMethods: ['pwd', 'mfa'] };
  await updatePolicyRule(ctx.stack.runtime.services, { caller, correlationId: `test-group-${Date.now()}` }, groupPolicyId(groupId, accessId), ruleId, body);
}

export const byGroup = (groupId: string) => filter(`groupId eq '${groupId}'`);
