/**
 * Helpers for the PIM-for-roles integration tests: one local stack per file, fresh users per test,
 * and short ways to assign, activate and read schedules through the real HTTP API.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { LocalStack, LocalStackOptions } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import type { ManualClock } from '../../../shared/domain/clock.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { policyIdFor } from '../../../shared/services/roles/policies/policy-ids.ts';
import { updatePolicyRule } from '../../../shared/services/roles/policies/update-policy-rule.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, filter, type CallResult } from '../api/support.ts';

export { expectGraphError, filter, type CallResult };

export const ROLES = BUILTIN_ROLE_IDS;
export const BASE = '/v1.0/roleManagement/directory';
export const ELIGIBILITY_REQUESTS = `${BASE}/roleEligibilityScheduleRequests`;
export const ASSIGNMENT_REQUESTS = `${BASE}/roleAssignmentScheduleRequests`;
export const ADMIN_UPN = 'admin@contoso.test';

export type Kind = 'eligibility' | 'assignment';
export const REQUESTS: Record<Kind, string> = { eligibility: ELIGIBILITY_REQUESTS, assignment: ASSIGNMENT_REQUESTS };
export const INSTANCES: Record<Kind, string> = {
  eligibility: `${BASE}/roleEligibilityScheduleInstances`,
  assignment: `${BASE}/roleAssignmentScheduleInstances`,
};
export const SCHEDULES: Record<Kind, string> = { eligibility: `${BASE}/roleEligibilitySchedules`, assignment: `${BASE}/roleAssignmentSchedules` };

export interface TestUser {
  id: string;
  upn: string;
  displayName: string;
}

export interface Ctx {
  stack: LocalStack;
  api: ApiClient;
  clock?: ManualClock;
  adminId: string;
  /** A fresh token for the seeded Global Administrator (tokens follow the stack's clock). */
  admin(): Promise<string>;
  stop(): Promise<void>;
}

export async function startRolesStack(
  options: {
    clock?: ManualClock;
    background?: boolean;
    dataDir?: string;
    tableName?: string;
    otherIssuers?: LocalStackOptions['otherIssuers'];
    /** Start the AWS emulator (moto_server) on this port (0: a free one). */
    awsPort?: number;
    /** The AWS reconciler's interval (infra/local/background.ts); 0, the default here: only when asked. */
    awsReconcileIntervalMs?: number;
  } = {},
): Promise<Ctx> {
  const stack = await startTestStack({
    ...(options.otherIssuers ? { otherIssuers: options.otherIssuers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    // The sweeper runs when a test calls it, never on a timer.
    ...(options.background
      ? {
          background: {
            sweepIntervalMs: 0,
            awsReconcileIntervalMs: options.awsReconcileIntervalMs ?? 0,
            alertsIntervalMs: 0,
            ...(process.env.STINT_TEST_LOG ? { log: (line: string) => console.error(line) } : {}),
          },
        }
      : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.tableName ? { tableName: options.tableName } : {}),
    ...(options.awsPort !== undefined ? { awsPort: options.awsPort } : {}),
  });
  const api = cachingTokens(apiClient(stack), () => (options.clock ?? { now: () => new Date() }).now().getTime());
  const admin = () => api.token(ADMIN_UPN);
  const me = await api.call('GET', `/v1.0/users/${ADMIN_UPN}`, { token: await admin() });
  if (me.status !== 200) throw new Error(`admin lookup: ${JSON.stringify(me.body)}`);
  return { stack, api, clock: options.clock, adminId: me.body.id, admin, stop: () => stack.stop() };
}

/** Token issuing costs a directory look-up; reuse a token while it is young (MFA freshness is 15 min). */
function cachingTokens(api: ApiClient, now: () => number): ApiClient {
  const cache = new Map<string, { token: string; at: number }>();
  const cached = async (key: string, issue: () => Promise<string>) => {
    const hit = cache.get(key);
    const t = now();
    if (hit && t >= hit.at && t - hit.at < 5 * 60_000) return hit.token;
    const token = await issue();
    cache.set(key, { token, at: t });
    return token;
  };
  return {
    call: api.call,
    token: (user, options) => cached(`u|${user.toLowerCase()}|${options?.mfa ?? true}|${options?.authAgeSeconds ?? 0}`, () => api.token(user, options)),
    servicePrincipalToken: (appId) => cached(`s|${appId}`, () => api.servicePrincipalToken(appId)),
  };
}

let counter = 0;
const suffix = () => `${++counter}-${randomBytes(3).toString('hex')}`;

/** A new user of its own, so that tests never share principals. */
export async function newUser(ctx: Ctx, label = 'user'): Promise<TestUser> {
  const alias = `${label}-${suffix()}`;
  const result = await ctx.api.call('POST', '/v1.0/users', {
    token: await ctx.admin(),
    body: { displayName: `Test ${alias}`, userPrincipalName: `${alias}@contoso.test` },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return { id: result.body.id, upn: result.body.userPrincipalName, displayName: result.body.displayName };
}

export async function newUsers(ctx: Ctx, count: number, label = 'user'): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: count }, () => newUser(ctx, label)));
}

export function tokenOf(ctx: Ctx, user: TestUser | string, options?: { mfa?: boolean; authAgeSeconds?: number }): Promise<string> {
  return ctx.api.token(typeof user === 'string' ? user : user.upn, options);
}

export async function newGroup(
  ctx: Ctx,
  label: string,
  options: { roleAssignable: boolean; members?: TestUser[] },
): Promise<{ id: string; displayName: string }> {
  const name = `${label}-${suffix()}`;
  const token = await ctx.admin();
  const result = await ctx.api.call('POST', '/v1.0/groups', {
    token,
    body: { displayName: name, mailNickname: name.toLowerCase(), mailEnabled: false, securityEnabled: true, isAssignableToRole: options.roleAssignable },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  for (const member of options.members ?? []) await addMember(ctx, result.body.id, member.id);
  return { id: result.body.id, displayName: name };
}

export async function addMember(ctx: Ctx, groupId: string, memberId: string): Promise<void> {
  const result = await ctx.api.call('POST', `/v1.0/groups/${groupId}/members/$ref`, {
    token: await ctx.admin(),
    body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${memberId}` },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(204);
}

/** A custom directory role of its own, so a test can change its policy without touching others. */
export async function customRole(ctx: Ctx, label = 'Role'): Promise<string> {
  const result = await ctx.api.call('POST', `${BASE}/roleDefinitions`, {
    token: await ctx.admin(),
    body: { displayName: `${label} ${suffix()}`, rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/password/update'] }] },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.id;
}

export interface ScheduleOptions {
  scope?: string;
  start?: string;
  /** afterDateTime end */
  end?: string;
  /** afterDuration */
  duration?: string;
  justification?: string | null;
  ticket?: string;
  action?: string;
}

export function scheduleInfo(o: ScheduleOptions): Record<string, unknown> {
  const expiration = o.end
    ? { type: 'afterDateTime', endDateTime: o.end }
    : o.duration
      ? { type: 'afterDuration', duration: o.duration }
      : { type: 'noExpiration' };
  return { ...(o.start ? { startDateTime: o.start } : {}), expiration };
}

export function requestBody(principalId: string, roleDefinitionId: string, o: ScheduleOptions = {}): Record<string, unknown> {
  return {
    action: o.action ?? 'adminAssign',
    principalId,
    roleDefinitionId,
    directoryScopeId: o.scope ?? '/',
    ...(o.justification === null ? {} : { justification: o.justification ?? 'Needed for the test' }),
    scheduleInfo: scheduleInfo(o),
    ...(o.ticket ? { ticketInfo: { ticketNumber: o.ticket, ticketSystem: 'Jira' } } : {}),
  };
}

export async function post(ctx: Ctx, kind: Kind, body: unknown, token?: string): Promise<CallResult> {
  return ctx.api.call('POST', REQUESTS[kind], { token: token ?? (await ctx.admin()), body });
}

async function expectCreated(result: CallResult): Promise<any> {
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body;
}

/** adminAssign of an eligibility by the seeded admin (permanent unless end/duration is given). */
export async function makeEligible(ctx: Ctx, principalId: string, roleId: string, o: ScheduleOptions = {}): Promise<any> {
  return expectCreated(await post(ctx, 'eligibility', requestBody(principalId, roleId, o)));
}

/** adminAssign of an active assignment by the seeded admin (permanent unless end/duration is given). */
export async function makeActive(ctx: Ctx, principalId: string, roleId: string, o: ScheduleOptions = {}): Promise<any> {
  return expectCreated(await post(ctx, 'assignment', requestBody(principalId, roleId, o)));
}

export function removeBody(principalId: string, roleId: string, scope = '/'): Record<string, unknown> {
  return { action: 'adminRemove', principalId, roleDefinitionId: roleId, directoryScopeId: scope };
}

export interface ActivateOptions extends Omit<ScheduleOptions, 'action'> {
  token?: string;
  principalId?: string;
  isValidationOnly?: boolean;
}

export function activationBody(principalId: string, roleId: string, o: ActivateOptions = {}): Record<string, unknown> {
  return {
    ...requestBody(principalId, roleId, { ...o, duration: o.duration ?? (o.end ? undefined : 'PT1H'), action: 'selfActivate' }),
    ...(o.isValidationOnly !== undefined ? { isValidationOnly: o.isValidationOnly } : {}),
  };
}

/** selfActivate as the user (fresh MFA unless a token is given). */
export async function activate(ctx: Ctx, user: TestUser, roleId: string, o: ActivateOptions = {}): Promise<CallResult> {
  const token = o.token ?? (await tokenOf(ctx, user));
  return post(ctx, 'assignment', activationBody(o.principalId ?? user.id, roleId, o), token);
}

export async function list(ctx: Ctx, path: string, token?: string): Promise<any[]> {
  const result = await ctx.api.call('GET', path, { token: token ?? (await ctx.admin()) });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.value;
}

/** Instances (in force now) of a principal, read by the admin (or the token given). */
export function instancesOf(ctx: Ctx, kind: Kind, principalId: string, token?: string): Promise<any[]> {
  return list(ctx, `${INSTANCES[kind]}?${filter(`principalId eq '${principalId}'`)}`, token);
}

/** Schedules (not ended) of a principal, read by the admin. */
export function schedulesOf(ctx: Ctx, kind: Kind, principalId: string, token?: string): Promise<any[]> {
  return list(ctx, `${SCHEDULES[kind]}?${filter(`principalId eq '${principalId}'`)}`, token);
}

/** Requests of a principal, read by the admin. */
export function requestsOf(ctx: Ctx, kind: Kind, principalId: string, token?: string): Promise<any[]> {
  return list(ctx, `${REQUESTS[kind]}?${filter(`principalId eq '${principalId}'`)}`, token);
}

/** PATCHes one rule of a role's policy (tenant-wide unless a scope is given) through the policy service, acting as the admin. */
export async function patchRule(ctx: Ctx, roleId: string, ruleId: string, body: Record<string, unknown>, scope = '/'): Promise<void> {
  const caller: Caller = { kind: 'user', id: ctx.adminId, displayName: 'Ada Admin', authMethods: ['pwd', 'mfa'] };
  await updatePolicyRule(ctx.stack.runtime.services, { caller, correlationId: `test-${suffix()}` }, policyIdFor(roleId, scope), ruleId, body);
}

const target = (caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') => ({
  caller,
  operations: ['all'],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});

export function expirationRule(id: string, isExpirationRequired: boolean, maximumDuration: string): Record<string, unknown> {
  const [, caller, level] = id.split('_') as [string, 'Admin' | 'EndUser', 'Eligibility' | 'Assignment'];
  return {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
    id,
    isExpirationRequired,
    maximumDuration,
    target: target(caller, level),
  };
}

export function enablementRule(id: string, enabledRules: string[]): Record<string, unknown> {
  const [, caller, level] = id.split('_') as [string, 'Admin' | 'EndUser', 'Eligibility' | 'Assignment'];
  return { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule', id, enabledRules, target: target(caller, level) };
}

export type ApproverRef = { userId: string } | { groupId: string };

export interface ApprovalStageSpec {
  approvers: ApproverRef[];
  /** @default 1 */
  timeoutDays?: number;
  requiredApproverCount?: number;
  /** @default true */
  justificationRequired?: boolean;
}

/** An Approval_EndUser_Assignment rule with these stages (serial when more than one). */
export function approvalRuleWith(stages: ApprovalStageSpec[], o: { required?: boolean; forExtension?: boolean } = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: 'Approval_EndUser_Assignment',
    setting: {
      isApprovalRequired: o.required ?? true,
      isApprovalRequiredForExtension: o.forExtension ?? false,
      isRequestorJustificationRequired: true,
      approvalMode: stages.length > 1 ? 'Serial' : 'SingleStage',
      approvalStages: stages.map((stage) => ({
        approvalStageTimeOutInDays: stage.timeoutDays ?? 1,
        isApproverJustificationRequired: stage.justificationRequired ?? true,
        escalationTimeInMinutes: 0,
        isEscalationEnabled: false,
        primaryApprovers: stage.approvers.map((a) =>
          'userId' in a ? { '@odata.type': '#microsoft.graph.singleUser', ...a } : { '@odata.type': '#microsoft.graph.groupMembers', ...a },
        ),
        escalationApprovers: [],
        ...(stage.requiredApproverCount ? { requiredApproverCount: stage.requiredApproverCount } : {}),
      })),
    },
    target: target('EndUser', 'Assignment'),
  };
}

export function approvalRule(isApprovalRequired: boolean, approverIds: string[] = []): Record<string, unknown> {
  return approvalRuleWith([{ approvers: approverIds.map((userId) => ({ userId })) }], { required: isApprovalRequired });
}

/** Failed rule codes named by a policy validation error. */
export function failedRules(result: CallResult): string[] {
  return [...new Set(((result.body?.error?.details ?? []) as { code: string }[]).map((d) => d.code))].sort();
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** The id of the eligibility an activation request was made from (Graph's activatedUsing, read with $expand), or null. */
export async function activatedUsingOf(ctx: Ctx, requestId: string): Promise<string | null> {
  const result = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${requestId}?$expand=activatedUsing`, { token: await ctx.admin() });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.activatedUsing?.id ?? null;
}
