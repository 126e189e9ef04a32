/**
 * Fills a running Stint (the local stack with its demo tenant) with one of everything a v1.0 route can
 * answer with: users, a role-assignable group, a service principal, a custom role, eligible and active
 * role assignments, an activation, one waiting for approval, PIM for groups, and an access review with
 * decisions. Everything goes through the public API, so the probe runs the same against `npm start`.
 */
import { randomBytes } from 'node:crypto';

export type Call = (method: string, path: string, token?: string, body?: unknown) => Promise<{ status: number; body: any }>;

export interface Filled {
  /** Tokens by who holds them: the admin, a user with an activation, and an approver. */
  tokens: Record<'admin' | 'requester' | 'member', string>;
  /** Answers to the writes, checked too: [method, route path, answer]. */
  writes: { method: string; path: string; body: unknown }[];
  ids: { groupId: string };
}

async function expectOk(call: Call, method: string, path: string, token: string, body: unknown, writes: Filled['writes']): Promise<any> {
  const result = await call(method, path, token, body);
  if (result.status >= 300) throw new Error(`${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
  if (result.body !== undefined) writes.push({ method, path, body: result.body });
  return result.body;
}

/** A `Call` over HTTP to a Stint at `baseUrl`; an answer that is not JSON (a CSV download) comes back as text. */
export function httpCall(baseUrl: string): Call {
  return async (method, path, token, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = /json/.test(response.headers.get('content-type') ?? '');
    return { status: response.status, body: text && json ? JSON.parse(text) : text || undefined };
  };
}

export async function tokenFor(call: Call, user: string): Promise<string> {
  const result = await call('POST', '/local/token', undefined, { user, mfa: true });
  if (result.status !== 200) throw new Error(`no token for ${user}: ${JSON.stringify(result.body)}`);
  return result.body.access_token as string;
}

const request = (action: string, principalId: string, roleDefinitionId: string, expiration: Record<string, unknown>) => ({
  action,
  principalId,
  roleDefinitionId,
  directoryScopeId: '/',
  justification: 'Conformance probe',
  ticketInfo: { ticketNumber: 'CHG-1', ticketSystem: 'Probe' },
  scheduleInfo: { startDateTime: new Date().toISOString(), expiration },
});

export interface FillOptions {
  adminUpn?: string;
  /**
   * Runs the access review job (the local stack's background runs it every minute; a test runs it at
   * once), so that the review has an instance with decisions to read.
   */
  runReviews?: () => Promise<unknown>;
}

export async function fillStack(call: Call, options: FillOptions = {}): Promise<Filled> {
  const adminUpn = options.adminUpn ?? 'admin@contoso.test';
  const writes: Filled['writes'] = [];
  const admin = await tokenFor(call, adminUpn);
  const me = (await call('GET', `/v1.0/users/${adminUpn}`, admin)).body;
  const tag = randomBytes(3).toString('hex');
  const post = (path: string, body: unknown, token = admin) => expectOk(call, 'POST', path, token, body, writes);
  const patch = (path: string, body: unknown, token = admin) => expectOk(call, 'PATCH', path, token, body, writes);

  const [requester, member] = await Promise.all(
    ['requester', 'member'].map((alias) =>
      post('/v1.0/users', { displayName: `Probe ${alias}`, userPrincipalName: `probe-${alias}-${tag}@contoso.test`, jobTitle: 'Probe', accountEnabled: true }),
    ),
  );
  const group = await post('/v1.0/groups', {
    displayName: `Probe group ${tag}`,
    mailNickname: `probe-${tag}`,
    mailEnabled: false,
    securityEnabled: true,
    isAssignableToRole: true,
    description: 'Made by the conformance probe',
  });
  await post(`/v1.0/groups/${group.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${member.id}` });
  await post('/v1.0/servicePrincipals', { appId: `probe-${tag}`, displayName: `Probe app ${tag}`, servicePrincipalType: 'Application' });
  await post('/v1.0/roleManagement/directory/roleDefinitions', {
    displayName: `Probe role ${tag}`,
    description: 'Resets passwords',
    isEnabled: true,
    rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/password/update'] }],
  });

  const roles: { id: string; displayName: string }[] = (await call('GET', '/v1.0/roleManagement/directory/roleDefinitions', admin)).body.value;
  const role = (name: string) => roles.find((r) => r.displayName === name)!.id;
  const helpdesk = role('Helpdesk Administrator');
  const securityReader = role('Security Reader');
  const base = '/v1.0/roleManagement/directory';
  const thirtyDays = { type: 'afterDuration', duration: 'P30D' };

  await post(`${base}/roleEligibilityScheduleRequests`, request('adminAssign', requester.id, helpdesk, thirtyDays));
  await post(`${base}/roleEligibilityScheduleRequests`, request('adminAssign', requester.id, securityReader, thirtyDays));
  await post(`${base}/roleAssignmentScheduleRequests`, request('adminAssign', member.id, role('Reports Reader'), thirtyDays));
  await post(`${base}/roleAssignmentScheduleRequests`, request('adminAssign', group.id, role('Global Reader'), { type: 'noExpiration' }));

  // Security Reader wants approval, by the admin: one activation waits, one is active.
  const policies = (
    await call('GET', `/v1.0/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent("scopeId eq '/' and scopeType eq 'DirectoryRole'")}`, admin)
  ).body.value as { policyId: string; roleDefinitionId: string }[];
  const policyId = policies.find((p) => p.roleDefinitionId === securityReader)!.policyId;
  await patch(`/v1.0/policies/roleManagementPolicies/${policyId}/rules/Approval_EndUser_Assignment`, {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: 'Approval_EndUser_Assignment',
    setting: {
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: 'SingleStage',
      approvalStages: [
        {
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: me.id }],
          escalationApprovers: [],
        },
      ],
    },
  });
  const requesterToken = await tokenFor(call, requester.userPrincipalName);
  const hour = { type: 'afterDuration', duration: 'PT1H' };
  await post(`${base}/roleAssignmentScheduleRequests`, request('selfActivate', requester.id, helpdesk, hour), requesterToken);
  await post(`${base}/roleAssignmentScheduleRequests`, request('selfActivate', requester.id, securityReader, hour), requesterToken);
  // A second approval, decided: its step carries who reviewed it and when.
  await post(`${base}/roleEligibilityScheduleRequests`, request('adminAssign', member.id, securityReader, thirtyDays));
  const memberToken = await tokenFor(call, member.userPrincipalName);
  const decided = await post(`${base}/roleAssignmentScheduleRequests`, request('selfActivate', member.id, securityReader, hour), memberToken);
  const approvals = '/v1.0/roleManagement/directory/roleAssignmentApprovals';
  const steps = (await call('GET', `${approvals}/${decided.approvalId}/steps`, admin)).body.value as { id: string }[];
  await patch(`${approvals}/${decided.approvalId}/steps/${steps[0]!.id}`, { reviewResult: 'Approve', justification: 'On call this week' });

  // PIM for groups: the member is eligible for the group's ownership and activates it.
  const groups = '/v1.0/identityGovernance/privilegedAccess/group';
  await post(`${groups}/eligibilityScheduleRequests`, {
    action: 'adminAssign',
    accessId: 'owner',
    principalId: member.id,
    groupId: group.id,
    justification: 'Conformance probe',
    scheduleInfo: { startDateTime: new Date().toISOString(), expiration: thirtyDays },
  });
  await post(
    `${groups}/assignmentScheduleRequests`,
    {
      action: 'selfActivate',
      accessId: 'owner',
      principalId: member.id,
      groupId: group.id,
      justification: 'Conformance probe',
      scheduleInfo: { startDateTime: new Date().toISOString(), expiration: hour },
    },
    memberToken,
  );

  // The group's membership wants approval by the admin: the requester's activation of it waits.
  const groupPolicies = (
    await call(
      'GET',
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(`scopeId eq '${group.id}' and scopeType eq 'Group'`)}`,
      admin,
    )
  ).body.value as { policyId: string; roleDefinitionId: string }[];
  const memberPolicy = groupPolicies.find((p) => p.roleDefinitionId === 'member')!.policyId;
  await patch(`/v1.0/policies/roleManagementPolicies/${memberPolicy}/rules/Approval_EndUser_Assignment`, {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: 'Approval_EndUser_Assignment',
    setting: {
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: 'SingleStage',
      approvalStages: [
        {
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: me.id }],
          escalationApprovers: [],
        },
      ],
    },
  });
  await post(`${groups}/eligibilityScheduleRequests`, {
    action: 'adminAssign',
    accessId: 'member',
    principalId: requester.id,
    groupId: group.id,
    justification: 'Conformance probe',
    scheduleInfo: { startDateTime: new Date().toISOString(), expiration: thirtyDays },
  });
  await post(
    `${groups}/assignmentScheduleRequests`,
    {
      action: 'selfActivate',
      accessId: 'member',
      principalId: requester.id,
      groupId: group.id,
      justification: 'Conformance probe',
      scheduleInfo: { startDateTime: new Date().toISOString(), expiration: hour },
    },
    requesterToken,
  );

  // An access review of the Helpdesk Administrators, starting now, reviewed by the admin.
  const today = new Date().toISOString().slice(0, 10);
  const review = await post('/v1.0/identityGovernance/accessReviews/definitions', {
    displayName: `Probe review ${tag}`,
    descriptionForAdmins: 'Made by the conformance probe',
    descriptionForReviewers: 'Keep only those who need it.',
    scope: {
      '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
      principalScopes: [{ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/users', queryType: 'MicrosoftGraph' }],
      resourceScopes: [
        {
          '@odata.type': '#microsoft.graph.accessReviewQueryScope',
          query: `/roleManagement/directory/roleDefinitions/${helpdesk}`,
          queryType: 'MicrosoftGraph',
        },
      ],
    },
    reviewers: [{ query: `/users/${me.id}`, queryType: 'MicrosoftGraph' }],
    settings: {
      mailNotificationsEnabled: false,
      reminderNotificationsEnabled: false,
      justificationRequiredOnApproval: true,
      defaultDecisionEnabled: false,
      defaultDecision: 'None',
      instanceDurationInDays: 7,
      autoApplyDecisionsEnabled: false,
      recommendationsEnabled: true,
      recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: today } },
    },
  });
  if (options.runReviews) {
    await options.runReviews();
    const reviews = `/v1.0/identityGovernance/accessReviews/definitions/${review.id}/instances`;
    const [instance] = (await call('GET', reviews, admin)).body.value as { id: string }[];
    if (!instance) throw new Error(`the review job started no instance of ${review.id}`);
    const decisions = (await call('GET', `${reviews}/${instance.id}/decisions`, admin)).body.value as { id: string }[];
    if (decisions[0]) await patch(`${reviews}/${instance.id}/decisions/${decisions[0].id}`, { decision: 'Approve', justification: 'Still on the helpdesk' });
  }
  return { tokens: { admin, requester: requesterToken, member: memberToken }, writes, ids: { groupId: group.id } };
}
