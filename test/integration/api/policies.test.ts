import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import { submitRoleRequest } from '../../../shared/services/roles/requests/submit-request.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { auditTrail, expectGraphError, filter, GLOBAL_ADMINISTRATOR, listAll, pathOf, ROLE_DEFINITIONS, roleBody } from './support.ts';

const ASSIGNMENTS = '/v1.0/policies/roleManagementPolicyAssignments';
const POLICIES = '/v1.0/policies/roleManagementPolicies';
const TENANT = filter("scopeId eq '/' and scopeType eq 'DirectoryRole'");
const R = BUILTIN_ROLE_IDS;

const policyIdOf = (roleId: string) => `DirectoryRole_stint_${roleId}`;
const rulePath = (roleId: string, ruleId: string) => `${POLICIES}/${policyIdOf(roleId)}/rules/${ruleId}`;

// ---------------------------------------------------------------------------
// The contract: graph-examples/15 (Global Administrator's policy, all 17 rules at Entra's defaults), in
// its order, and the PATCH bodies of graph-examples/10, 11, 12 and 14.
// ---------------------------------------------------------------------------

const target = (caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') => ({
  caller,
  operations: ['all'],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});
const notification = (id: string, recipientType: string, caller: 'Admin' | 'EndUser', level: 'Eligibility' | 'Assignment') => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
  id,
  notificationType: 'Email',
  recipientType,
  notificationLevel: 'All',
  isDefaultRecipientsEnabled: true,
  notificationRecipients: [],
  target: target(caller, level),
});

const EX15_RULES = [
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
    id: 'Expiration_Admin_Eligibility',
    isExpirationRequired: false,
    maximumDuration: 'P365D',
    target: target('Admin', 'Eligibility'),
  },
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
    id: 'Enablement_Admin_Eligibility',
    enabledRules: [],
    target: target('Admin', 'Eligibility'),
  },
  notification('Notification_Admin_Admin_Eligibility', 'Admin', 'Admin', 'Eligibility'),
  notification('Notification_Requestor_Admin_Eligibility', 'Requestor', 'Admin', 'Eligibility'),
  notification('Notification_Approver_Admin_Eligibility', 'Approver', 'Admin', 'Eligibility'),
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
    id: 'Expiration_Admin_Assignment',
    isExpirationRequired: false,
    maximumDuration: 'P180D',
    target: target('Admin', 'Assignment'),
  },
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
    id: 'Enablement_Admin_Assignment',
    enabledRules: ['Justification'],
    target: target('Admin', 'Assignment'),
  },
  notification('Notification_Admin_Admin_Assignment', 'Admin', 'Admin', 'Assignment'),
  notification('Notification_Requestor_Admin_Assignment', 'Requestor', 'Admin', 'Assignment'),
  notification('Notification_Approver_Admin_Assignment', 'Approver', 'Admin', 'Assignment'),
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
    id: 'Expiration_EndUser_Assignment',
    isExpirationRequired: true,
    maximumDuration: 'PT8H',
    target: target('EndUser', 'Assignment'),
  },
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
    id: 'Enablement_EndUser_Assignment',
    enabledRules: ['MultiFactorAuthentication', 'Justification'],
    target: target('EndUser', 'Assignment'),
  },
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: 'Approval_EndUser_Assignment',
    target: target('EndUser', 'Assignment'),
    setting: {
      isApprovalRequired: false,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: 'SingleStage',
      approvalStages: [
        {
          approvalStageTimeOutInDays: 1,
          isApproverJustificationRequired: true,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: [],
          escalationApprovers: [],
        },
      ],
    },
  },
  {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule',
    id: 'AuthenticationContext_EndUser_Assignment',
    isEnabled: false,
    claimValue: null,
    target: target('EndUser', 'Assignment'),
  },
  notification('Notification_Admin_EndUser_Assignment', 'Admin', 'EndUser', 'Assignment'),
  notification('Notification_Requestor_EndUser_Assignment', 'Requestor', 'EndUser', 'Assignment'),
  notification('Notification_Approver_EndUser_Assignment', 'Approver', 'EndUser', 'Assignment'),
];

const patchTarget = (caller: 'Admin' | 'EndUser') => ({
  '@odata.type': 'microsoft.graph.unifiedRoleManagementPolicyRuleTarget',
  caller,
  operations: ['All'],
  level: 'Assignment',
  inheritableSettings: [],
  enforcedSettings: [],
});

const EX10 = {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
  id: 'Expiration_EndUser_Assignment',
  isExpirationRequired: true,
  maximumDuration: 'PT1H45M',
  target: patchTarget('EndUser'),
};

const EX11 = {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  id: 'Enablement_EndUser_Assignment',
  enabledRules: ['Justification', 'MultiFactorAuthentication', 'Ticketing'],
  target: patchTarget('EndUser'),
};

const ex12 = (userId: string, groupId: string) => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
  id: 'Approval_EndUser_Assignment',
  target: patchTarget('EndUser'),
  setting: {
    '@odata.type': 'microsoft.graph.approvalSettings',
    isApprovalRequired: true,
    isApprovalRequiredForExtension: false,
    isRequestorJustificationRequired: true,
    approvalMode: 'SingleStage',
    approvalStages: [
      {
        '@odata.type': 'microsoft.graph.unifiedApprovalStage',
        approvalStageTimeOutInDays: 1,
        isApproverJustificationRequired: true,
        escalationTimeInMinutes: 0,
        primaryApprovers: [
          { '@odata.type': '#microsoft.graph.singleUser', userId },
          { '@odata.type': '#microsoft.graph.groupMembers', groupId },
        ],
        isEscalationEnabled: false,
        escalationApprovers: [],
      },
    ],
  },
});

const EX14 = {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  id: 'Enablement_Admin_Assignment',
  enabledRules: ['Justification', 'MultiFactorAuthentication'],
  target: patchTarget('Admin'),
};

const RULE_IDS = EX15_RULES.map((r) => r.id);

describe('/v1.0/policies: role management policies and their assignments', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let admin: string;
  let adminId: string;
  let kai: string;
  let reader: string;
  let userId: string;
  let groupId: string;
  let customRoleId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    admin = await api.token('admin@contoso.test');
    adminId = (await api.call('GET', '/v1.0/users/admin@contoso.test', { token: admin })).body.id;
    kai = await api.token('kai.tanaka@contoso.test');
    userId = (await api.call('GET', '/v1.0/users/sam.rivera@contoso.test', { token: admin })).body.id;
    groupId = (await api.call('GET', `/v1.0/groups?${filter("displayName eq 'Security Operations'")}`, { token: admin })).body.value[0].id;
    // rosa.lopez (Auditor) becomes a permanent active Global Reader: may read policies, not change them.
    const rosaId = (await api.call('GET', '/v1.0/users/rosa.lopez@contoso.test', { token: admin })).body.id;
    await submitRoleRequest(
      stack.runtime.services,
      {
        caller: { kind: 'user', id: adminId, displayName: 'Ada Admin', authMethods: ['pwd', 'mfa'], authTime: Math.floor(Date.now() / 1000) },
        correlationId: 'policies-test',
      },
      'assignment',
      {
        action: { sent: 'adminAssign', canonical: 'adminAssign' },
        principalId: rosaId,
        roleDefinitionId: R.globalReader,
        directoryScopeId: '/',
        justification: 'Reads role settings for audits',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    );
    reader = await api.token('rosa.lopez@contoso.test');
    const created = await api.call('POST', ROLE_DEFINITIONS, { token: admin, body: roleBody('Policy Test Role') });
    expect(created.status).toBe(201);
    customRoleId = created.body.id;
  });
  afterAll(() => stack.stop());

  const get = (path: string, token = admin) => api.call('GET', path, { token });
  const patch = (path: string, body: unknown, token = admin) => api.call('PATCH', path, { token, body });
  const getRule = async (roleId: string, ruleId: string) => {
    const result = await get(rulePath(roleId, ruleId));
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const { '@odata.context': _context, ...rule } = result.body;
    return rule;
  };
  const rulesOf = async (roleId: string) => (await get(`${POLICIES}/${policyIdOf(roleId)}/rules`)).body.value as any[];
  const allRoleIds = async () => (await listAll(stack, api, admin, ROLE_DEFINITIONS)).map((r) => r.id as string);

  describe('GET roleManagementPolicyAssignments', () => {
    it("lists one assignment per role definition at '/', built-in and custom, shaped as Graph's", async () => {
      const result = await get(`${ASSIGNMENTS}?${TENANT}`);
      expect(result.status).toBe(200);
      expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicyAssignments`);
      expect(result.body['@odata.nextLink']).toBeUndefined();
      const items = result.body.value as any[];
      expect(items.map((a) => a.roleDefinitionId).sort()).toEqual((await allRoleIds()).sort());
      expect(items.map((a) => a.roleDefinitionId)).toContain(customRoleId);
      for (const item of items) {
        const policyId = policyIdOf(item.roleDefinitionId);
        expect(item).toEqual({
          id: `${policyId}_${item.roleDefinitionId}`,
          policyId,
          scopeId: '/',
          scopeType: 'DirectoryRole',
          roleDefinitionId: item.roleDefinitionId,
        });
      }
      expect(items.find((a) => a.roleDefinitionId === GLOBAL_ADMINISTRATOR).policyId).toBe('DirectoryRole_stint_62e90394-69f5-4237-9190-012177145e10');
    });

    it("accepts scopeType 'Directory' (ex:16) and echoes it", async () => {
      const result = await get(`${ASSIGNMENTS}?${filter("scopeId eq '/' and scopeType eq 'Directory'")}`);
      expect(result.status).toBe(200);
      expect(result.body.value.length).toBe((await allRoleIds()).length);
      for (const item of result.body.value) expect(item.scopeType).toBe('Directory');
    });

    it("lists Global Administrator's assignment with policy($expand=rules): Entra's defaults exactly, as ex:15", async () => {
      const result = await get(
        `${ASSIGNMENTS}?${filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${GLOBAL_ADMINISTRATOR}'`)}&$expand=policy($expand=rules)`,
      );
      expect(result.status).toBe(200);
      expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy(rules()))`);
      expect(result.body.value).toHaveLength(1);
      const [assignment] = result.body.value;
      const policyId = policyIdOf(GLOBAL_ADMINISTRATOR);
      expect(Object.keys(assignment)).toEqual(['id', 'policyId', 'scopeId', 'scopeType', 'roleDefinitionId', 'policy']);
      expect(assignment).toMatchObject({
        id: `${policyId}_${GLOBAL_ADMINISTRATOR}`,
        policyId,
        scopeId: '/',
        scopeType: 'DirectoryRole',
        roleDefinitionId: GLOBAL_ADMINISTRATOR,
      });
      const { rules, ...policy } = assignment.policy;
      expect(policy).toEqual({
        id: policyId,
        displayName: 'DirectoryRole',
        description: 'DirectoryRole',
        isOrganizationDefault: false,
        scopeId: '/',
        scopeType: 'DirectoryRole',
        lastModifiedDateTime: null,
        lastModifiedBy: { displayName: null, id: null },
      });
      expect(rules.map((r: any) => r.id)).toEqual(RULE_IDS);
      expect(rules).toHaveLength(17);
      // Field by field, so that a difference names its rule.
      EX15_RULES.forEach((expected, i) => expect(rules[i], expected.id).toEqual(expected));
      const byId = Object.fromEntries(rules.map((r: any) => [r.id, r]));
      expect(byId.Expiration_EndUser_Assignment).toMatchObject({ isExpirationRequired: true, maximumDuration: 'PT8H' });
      expect(byId.Enablement_EndUser_Assignment.enabledRules).toEqual(['MultiFactorAuthentication', 'Justification']);
      expect(byId.Expiration_Admin_Eligibility).toMatchObject({ isExpirationRequired: false, maximumDuration: 'P365D' });
      expect(byId.Expiration_Admin_Assignment).toMatchObject({ isExpirationRequired: false, maximumDuration: 'P180D' });
      expect(byId.Enablement_Admin_Assignment.enabledRules).toEqual(['Justification']);
      expect(byId.Approval_EndUser_Assignment.setting).toMatchObject({
        isApprovalRequired: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
      });
    });

    it('finds the role whatever the case of its id', async () => {
      const result = await get(
        `${ASSIGNMENTS}?${filter(`scopeId eq '/' and scopeType eq 'directoryrole' and roleDefinitionId eq '${GLOBAL_ADMINISTRATOR.toUpperCase()}'`)}`,
      );
      expect(result.body.value.map((a: any) => a.roleDefinitionId)).toEqual([GLOBAL_ADMINISTRATOR]);
      const none = await get(`${ASSIGNMENTS}?${filter("scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq 'no-such-role'")}`);
      expect(none.status).toBe(200);
      expect(none.body.value).toEqual([]);
    });

    it('expands the policy without its rules on $expand=policy, and gives every role its own policy', async () => {
      const result = await get(`${ASSIGNMENTS}?${TENANT}&$expand=policy`);
      expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy())`);
      for (const item of result.body.value) {
        expect(item.policy.id).toBe(item.policyId);
        expect(item.policy).not.toHaveProperty('rules');
      }
      expect(new Set(result.body.value.map((a: any) => a.policyId)).size).toBe(result.body.value.length);
    });

    it('pages with $top and @odata.nextLink, counts with $count=true, and picks with $select', async () => {
      const everything = (await get(`${ASSIGNMENTS}?${TENANT}`)).body.value.map((a: any) => a.id);
      const first = await get(`${ASSIGNMENTS}?${TENANT}&$top=5&$count=true&$expand=policy($expand=rules)`);
      expect(first.body.value).toHaveLength(5);
      expect(first.body['@odata.count']).toBe(everything.length);
      expect(first.body['@odata.nextLink']).toContain('$skiptoken=');
      for (const item of first.body.value) expect(item.policy.rules).toHaveLength(17);
      const second = await get(pathOf(stack, first.body['@odata.nextLink']));
      expect(second.body['@odata.count']).toBeUndefined();
      const paged = await listAll(stack, api, admin, `${ASSIGNMENTS}?${TENANT}&$top=4`);
      expect(paged.map((a) => a.id)).toEqual(everything);

      const selected = await get(`${ASSIGNMENTS}?${TENANT}&$select=roleDefinitionId&$top=1`);
      expect(Object.keys(selected.body.value[0]).sort()).toEqual(['id', 'roleDefinitionId']);
      const withPolicy = await get(`${ASSIGNMENTS}?${TENANT}&$select=policyId&$expand=policy($select=displayName)&$top=1`);
      expect(withPolicy.body.value[0]).toEqual({
        id: expect.any(String),
        policyId: expect.any(String),
        policy: { id: withPolicy.body.value[0].policyId, displayName: 'DirectoryRole' },
      });
      expectGraphError(await get(`${ASSIGNMENTS}?${TENANT}&$select=nonsense`), 400, 'Request_UnsupportedQuery');
    });

    it("gives the portal's My roles every role's policy and rules in one call, and the same across pages", async () => {
      const portal = `${ASSIGNMENTS}?${filter("scopeId eq '/' and scopeType eq 'DirectoryRole'")}&$expand=policy($expand=rules)`;
      const once = await get(portal);
      expect(once.status).toBe(200);
      expect(once.body['@odata.nextLink']).toBeUndefined();
      expect(once.body.value.map((a: any) => a.roleDefinitionId).sort()).toEqual((await allRoleIds()).sort());
      for (const item of once.body.value) {
        expect(item.policy.id).toBe(item.policyId);
        expect(item.policy.rules).toHaveLength(17);
      }
      const paged = await listAll(stack, api, admin, `${portal}&$top=25`);
      expect(paged).toEqual(once.body.value);
    });

    it('requires $filter on scopeId and scopeType, as Graph does (400 with a message saying so)', async () => {
      const missing = expectGraphError(await get(ASSIGNMENTS), 400, 'BadRequest');
      expect(missing.message).toContain("scopeId eq '/' and scopeType eq 'DirectoryRole'");
      const noType = expectGraphError(await get(`${ASSIGNMENTS}?${filter("scopeId eq '/'")}`), 400, 'BadRequest');
      expect(noType.message).toContain('scopeType');
      const noScope = expectGraphError(await get(`${ASSIGNMENTS}?${filter("scopeType eq 'DirectoryRole'")}`), 400, 'BadRequest');
      expect(noScope.message).toContain('scopeId');
      // Under 'or' the scope does not constrain every item, so it does not count.
      expectGraphError(await get(`${ASSIGNMENTS}?${filter("scopeId eq '/' or scopeType eq 'DirectoryRole'")}`), 400, 'BadRequest');
      expect(expectGraphError(await get(`${ASSIGNMENTS}?${filter("scopeId eq '/' and scopeType eq 'Tenant'")}`), 400, 'BadRequest').message).toContain(
        "'Tenant'",
      );
      expect(
        expectGraphError(await get(`${ASSIGNMENTS}?${filter("scopeId eq 'nowhere' and scopeType eq 'DirectoryRole'")}`), 400, 'BadRequest').message,
      ).toContain("'nowhere'");
      expect(expectGraphError(await get(`${ASSIGNMENTS}?${filter("scopeId eq '/' and scopeType eq 'Group'")}`), 400, 'BadRequest').message).toContain(
        "group's id",
      );
      expectGraphError(await get(`${ASSIGNMENTS}?${filter("scopeId eq '/' and")}`), 400, 'BadRequest');
      expectGraphError(await get(`${ASSIGNMENTS}?${TENANT}&$expand=rules`), 400, 'Request_UnsupportedQuery');
      expectGraphError(await get(`${ASSIGNMENTS}?${TENANT}&$expand=policy($expand=owners)`), 400, 'Request_UnsupportedQuery');
      expectGraphError(await get(`${ASSIGNMENTS}?${TENANT}&$expand=policy($expand=rules`), 400, 'Request_UnsupportedQuery');
      expectGraphError(await get(`${ASSIGNMENTS}?${TENANT}&$orderby=id`), 400, 'Request_UnsupportedQuery');
    });

    it('gets one assignment by id (built-in and custom role), with $expand, and 404 for an unknown one', async () => {
      for (const roleId of [GLOBAL_ADMINISTRATOR, customRoleId]) {
        const id = `${policyIdOf(roleId)}_${roleId}`;
        const result = await get(`${ASSIGNMENTS}/${id}?$expand=policy($expand=rules)`);
        expect(result.status, JSON.stringify(result.body)).toBe(200);
        expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy(rules()))/$entity`);
        expect(result.body).toMatchObject({ id, policyId: policyIdOf(roleId), scopeId: '/', scopeType: 'DirectoryRole', roleDefinitionId: roleId });
        expect(result.body.policy.rules.map((r: any) => r.id)).toEqual(RULE_IDS);
        const plain = await get(`${ASSIGNMENTS}/${id}`);
        expect(plain.body).toEqual({
          '@odata.context': `${stack.url}/v1.0/$metadata#policies/roleManagementPolicyAssignments/$entity`,
          id,
          policyId: policyIdOf(roleId),
          scopeId: '/',
          scopeType: 'DirectoryRole',
          roleDefinitionId: roleId,
        });
      }
      expectGraphError(await get(`${ASSIGNMENTS}/${policyIdOf(GLOBAL_ADMINISTRATOR)}_${R.globalReader}`), 404, 'Request_ResourceNotFound');
      expectGraphError(await get(`${ASSIGNMENTS}/nonsense`), 404, 'Request_ResourceNotFound');
      expectGraphError(
        await get(`${ASSIGNMENTS}/${policyIdOf('00000000-0000-0000-0000-000000000000')}_00000000-0000-0000-0000-000000000000`),
        404,
        'RoleNotFound',
      );
    });
  });

  describe('GET roleManagementPolicies', () => {
    it('lists the policies at a scope, without rules unless $expand=rules', async () => {
      const plain = await get(`${POLICIES}?${TENANT}`);
      expect(plain.status).toBe(200);
      expect(plain.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicies`);
      expect(plain.body.value.map((p: any) => p.id).sort()).toEqual((await allRoleIds()).map(policyIdOf).sort());
      for (const policy of plain.body.value) expect(policy).not.toHaveProperty('rules');
      const expanded = await get(`${POLICIES}?${TENANT}&$expand=rules`);
      expect(expanded.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicies(rules())`);
      const ga = expanded.body.value.find((p: any) => p.id === policyIdOf(GLOBAL_ADMINISTRATOR));
      expect(ga.rules).toEqual(EX15_RULES);
      const only = await get(
        `${POLICIES}?${filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and id eq '${policyIdOf(GLOBAL_ADMINISTRATOR)}'`)}&$select=displayName`,
      );
      expect(only.body.value).toEqual([{ id: policyIdOf(GLOBAL_ADMINISTRATOR), displayName: 'DirectoryRole' }]);
      expectGraphError(await get(POLICIES), 400, 'BadRequest');
      expectGraphError(await get(`${POLICIES}?${TENANT}&$expand=policy`), 400, 'Request_UnsupportedQuery');
    });

    it('gets one policy, with $expand=rules; 404 for ids that name no policy', async () => {
      const id = policyIdOf(GLOBAL_ADMINISTRATOR);
      const plain = await get(`${POLICIES}/${id}`);
      expect(plain.status).toBe(200);
      expect(plain.body).toEqual({
        '@odata.context': `${stack.url}/v1.0/$metadata#policies/roleManagementPolicies/$entity`,
        id,
        displayName: 'DirectoryRole',
        description: 'DirectoryRole',
        isOrganizationDefault: false,
        scopeId: '/',
        scopeType: 'DirectoryRole',
        lastModifiedDateTime: null,
        lastModifiedBy: { displayName: null, id: null },
      });
      const expanded = await get(`${POLICIES}/${id}?$expand=rules`);
      expect(expanded.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicies(rules())/$entity`);
      expect(expanded.body.rules).toEqual(EX15_RULES);
      // A role id in another case names the same policy, under its canonical id.
      expect((await get(`${POLICIES}/${policyIdOf(GLOBAL_ADMINISTRATOR.toUpperCase())}`)).body.id).toBe(id);
      for (const bad of ['nonsense', 'DirectoryRole_other-tenant_62e90394-69f5-4237-9190-012177145e10', `${id}_%2F`, `${id}_Lw`]) {
        expectGraphError(await get(`${POLICIES}/${bad}`), 404, 'Request_ResourceNotFound');
      }
      expectGraphError(await get(`${POLICIES}/${policyIdOf('11111111-2222-3333-4444-555555555555')}`), 404, 'RoleNotFound');
    });

    it('lists the 17 rules of a policy and gets one rule as ex:19', async () => {
      const id = policyIdOf(GLOBAL_ADMINISTRATOR);
      const list = await get(`${POLICIES}/${id}/rules`);
      expect(list.status).toBe(200);
      expect(list.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#policies/roleManagementPolicies('${id}')/rules`);
      expect(list.body.value).toEqual(EX15_RULES);
      const filtered = await get(`${POLICIES}/${id}/rules?${filter("startswith(id, 'Expiration_')")}&$select=maximumDuration`);
      expect(filtered.body.value).toEqual([
        { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_Admin_Eligibility', maximumDuration: 'P365D' },
        { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_Admin_Assignment', maximumDuration: 'P180D' },
        { '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule', id: 'Expiration_EndUser_Assignment', maximumDuration: 'PT8H' },
      ]);

      const one = await get(`${POLICIES}/${id}/rules/Expiration_Admin_Eligibility`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual({
        '@odata.context': `${stack.url}/v1.0/$metadata#policies/roleManagementPolicies('${id}')/rules/$entity`,
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
        id: 'Expiration_Admin_Eligibility',
        isExpirationRequired: false,
        maximumDuration: 'P365D',
        target: { caller: 'Admin', operations: ['all'], level: 'Eligibility', inheritableSettings: [], enforcedSettings: [] },
      });
      const missing = expectGraphError(await get(`${POLICIES}/${id}/rules/Expiration_Nobody`), 404, 'Request_ResourceNotFound');
      expect(missing.message).toContain('Expiration_EndUser_Assignment');
      expectGraphError(await api.call('DELETE', `${POLICIES}/${id}/rules/Expiration_Admin_Eligibility`, { token: admin }), 405, 'Request_MethodNotAllowed');
    });
  });

  describe('PATCH roleManagementPolicies/{id}/rules/{ruleId}', () => {
    it('applies ex:10 (activation maximum duration): 204, and GET shows it, with who changed it when', async () => {
      const before = Date.now();
      const result = await patch(rulePath(R.helpdeskAdministrator, 'Expiration_EndUser_Assignment'), EX10);
      expect(result.status, JSON.stringify(result.body)).toBe(204);
      expect(result.body).toBeUndefined();
      expect(await getRule(R.helpdeskAdministrator, 'Expiration_EndUser_Assignment')).toEqual({
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
        id: 'Expiration_EndUser_Assignment',
        isExpirationRequired: true,
        maximumDuration: 'PT1H45M',
        target: target('EndUser', 'Assignment'),
      });
      const policy = (await get(`${POLICIES}/${policyIdOf(R.helpdeskAdministrator)}`)).body;
      expect(policy.lastModifiedBy).toEqual({ displayName: 'Ada Admin', id: adminId });
      expect(Date.parse(policy.lastModifiedDateTime)).toBeGreaterThanOrEqual(before - 1000);
      // The other 16 rules are untouched.
      const rules = await rulesOf(R.helpdeskAdministrator);
      expect(rules.filter((r) => r.id !== 'Expiration_EndUser_Assignment')).toEqual(EX15_RULES.filter((r) => r.id !== 'Expiration_EndUser_Assignment'));
    });

    it('takes a partial body (PATCH semantics): what it leaves out keeps its value', async () => {
      const roleId = R.cloudApplicationAdministrator;
      const result = await patch(rulePath(roleId, 'Expiration_EndUser_Assignment'), {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
        maximumDuration: 'PT3H',
      });
      expect(result.status, JSON.stringify(result.body)).toBe(204);
      expect(await getRule(roleId, 'Expiration_EndUser_Assignment')).toEqual({ ...EX15_RULES[10], maximumDuration: 'PT3H' });
      const approval = {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
        setting: { ...ex12(userId, groupId).setting, isApprovalRequired: false },
      };
      expect((await patch(rulePath(roleId, 'Approval_EndUser_Assignment'), approval)).status).toBe(204);
      expect((await getRule(roleId, 'Approval_EndUser_Assignment')).setting.approvalStages[0].primaryApprovers).toHaveLength(2);
      expect((await getRule(roleId, 'Approval_EndUser_Assignment')).target).toEqual(target('EndUser', 'Assignment'));
    });

    it('applies ex:11 (MFA, justification and ticket on activation)', async () => {
      expect((await patch(rulePath(R.userAdministrator, 'Enablement_EndUser_Assignment'), EX11)).status).toBe(204);
      expect(await getRule(R.userAdministrator, 'Enablement_EndUser_Assignment')).toEqual({
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        id: 'Enablement_EndUser_Assignment',
        enabledRules: ['Justification', 'MultiFactorAuthentication', 'Ticketing'],
        target: target('EndUser', 'Assignment'),
      });
    });

    it('applies ex:12 (approval by a user and a group of ours)', async () => {
      const result = await patch(rulePath(R.securityAdministrator, 'Approval_EndUser_Assignment'), ex12(userId, groupId));
      expect(result.status, JSON.stringify(result.body)).toBe(204);
      expect(await getRule(R.securityAdministrator, 'Approval_EndUser_Assignment')).toEqual({
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
        id: 'Approval_EndUser_Assignment',
        target: target('EndUser', 'Assignment'),
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
              primaryApprovers: [
                { '@odata.type': '#microsoft.graph.singleUser', userId },
                { '@odata.type': '#microsoft.graph.groupMembers', groupId },
              ],
              escalationApprovers: [],
            },
          ],
        },
      });
    });

    it('applies ex:14 (justification and MFA on active assignment)', async () => {
      expect((await patch(rulePath(R.exchangeAdministrator, 'Enablement_Admin_Assignment'), EX14)).status).toBe(204);
      expect((await getRule(R.exchangeAdministrator, 'Enablement_Admin_Assignment')).enabledRules).toEqual(['Justification', 'MultiFactorAuthentication']);
    });

    it("changes only that role's policy: other roles keep theirs", async () => {
      expect((await patch(rulePath(R.billingAdministrator, 'Expiration_EndUser_Assignment'), { ...EX10, maximumDuration: 'PT2H' })).status).toBe(204);
      expect((await getRule(R.billingAdministrator, 'Expiration_EndUser_Assignment')).maximumDuration).toBe('PT2H');
      expect(await rulesOf(R.complianceAdministrator)).toEqual(EX15_RULES);
      expect(await rulesOf(GLOBAL_ADMINISTRATOR)).toEqual(EX15_RULES);
      const listed = await get(
        `${ASSIGNMENTS}?${filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId in ('${R.billingAdministrator}', '${R.complianceAdministrator}')`)}&$expand=policy($expand=rules)`,
      );
      const duration = (roleId: string) =>
        listed.body.value.find((a: any) => a.roleDefinitionId === roleId).policy.rules.find((r: any) => r.id === 'Expiration_EndUser_Assignment')
          .maximumDuration;
      expect([duration(R.billingAdministrator), duration(R.complianceAdministrator)]).toEqual(['PT2H', 'PT8H']);
    });

    it("writes the audit record 'Update role setting in PIM' under the policy, in the same change", async () => {
      const policyId = policyIdOf(R.conditionalAccessAdministrator);
      const result = await patch(rulePath(R.conditionalAccessAdministrator, 'Expiration_EndUser_Assignment'), { ...EX10, maximumDuration: 'PT4H' });
      expect(result.status).toBe(204);
      const trail = await auditTrail(stack, policyId);
      expect(trail).toHaveLength(1);
      const [record] = trail;
      expect(record).toMatchObject({
        activityDisplayName: 'Update role setting in PIM',
        category: 'RoleManagement',
        operationType: 'Update',
        result: 'success',
        correlationId: result.headers.get('request-id'),
        initiatedBy: { user: { id: adminId } },
      });
      expect(record!.targetResources[0]).toMatchObject({ id: policyId, type: 'Policy', displayName: 'Conditional Access Administrator (/)' });
      expect(record!.targetResources[1]).toMatchObject({ id: R.conditionalAccessAdministrator, type: 'Role' });
      const change = record!.targetResources[0]!.modifiedProperties[0]!;
      expect(change.displayName).toBe('Expiration_EndUser_Assignment');
      expect(JSON.parse(change.oldValue!).maximumDuration).toBe('PT8H');
      expect(JSON.parse(change.newValue!).maximumDuration).toBe('PT4H');
    });

    it('refuses bad bodies with 400 naming the problem, and changes nothing (no write, no audit record)', async () => {
      const roleId = R.authenticationAdministrator;
      const policyId = policyIdOf(roleId);
      const expiration = rulePath(roleId, 'Expiration_EndUser_Assignment');
      const cases: [path: string, body: unknown, expectInMessage: string][] = [
        [expiration, { ...EX10, '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule' }, 'unifiedRoleManagementPolicyExpirationRule'],
        [expiration, (({ '@odata.type': _t, ...rest }) => rest)(EX10), '@odata.type'],
        [expiration, { ...EX10, colour: 'blue' }, 'colour'],
        [expiration, { ...EX10, maximumDuration: 'PT8X' }, 'PT8X'],
        [expiration, { ...EX10, maximumDuration: 'P1Y' }, 'P1Y'],
        [expiration, { ...EX10, maximumDuration: 'PT0H' }, 'maximumDuration'],
        [expiration, { ...EX10, maximumDuration: 'PT25H' }, 'between PT30M and PT24H'],
        [expiration, { ...EX10, maximumDuration: 'PT10M' }, 'between PT30M and PT24H'],
        [
          rulePath(roleId, 'Expiration_Admin_Eligibility'),
          { ...EX10, id: 'Expiration_Admin_Eligibility', target: { ...EX10.target, caller: 'Admin', level: 'Eligibility' }, maximumDuration: 'P400D' },
          'at most P365D',
        ],
        [expiration, { ...EX10, maximumDuration: 8 }, 'maximumDuration'],
        [expiration, { ...EX10, isExpirationRequired: 'yes' }, 'isExpirationRequired'],
        [expiration, { ...EX10, id: 'Expiration_Admin_Assignment' }, 'Expiration_Admin_Assignment'],
        [expiration, { ...EX10, target: { ...EX10.target, caller: 'Admin' } }, 'target'],
        [expiration, { ...EX10, target: { ...EX10.target, level: 'Eligibility' } }, 'target'],
        [expiration, { ...EX10, target: 'EndUser' }, 'target'],
        [expiration, [EX10], 'expected object'],
        [rulePath(roleId, 'Enablement_EndUser_Assignment'), { ...EX11, enabledRules: ['Justification', 'Telepathy'] }, 'enabledRules'],
        [rulePath(roleId, 'Approval_EndUser_Assignment'), ex12('usr_00000000000000000000000000', groupId), 'usr_00000000000000000000000000'],
        [rulePath(roleId, 'Approval_EndUser_Assignment'), ex12(userId, userId), userId],
        [
          rulePath(roleId, 'Approval_EndUser_Assignment'),
          { ...ex12(userId, groupId), setting: { ...ex12(userId, groupId).setting, approvalStages: [] } },
          'approval stage',
        ],
        [
          rulePath(roleId, 'AuthenticationContext_EndUser_Assignment'),
          {
            '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule',
            isEnabled: true,
            claimValue: null,
            target: patchTarget('EndUser'),
          },
          'claimValue',
        ],
      ];
      for (const [path, body, text] of cases) {
        const error = expectGraphError(await patch(path, body), 400, 'Request_BadRequest');
        expect(error.message, JSON.stringify(body)).toContain(text);
      }
      expectGraphError(
        await api.call('PATCH', expiration, { token: admin, rawBody: 'not json', headers: { 'content-type': 'application/json' } }),
        400,
        'BadRequest',
      );
      expectGraphError(await patch(rulePath(roleId, 'No_Such_Rule'), EX10), 404, 'Request_ResourceNotFound');
      expect(await rulesOf(roleId)).toEqual(EX15_RULES);
      expect((await get(`${POLICIES}/${policyId}`)).body.lastModifiedDateTime).toBeNull();
      expect(await auditTrail(stack, policyId)).toEqual([]);
    });

    it('lets only Global and Privileged Role Administrators change rules (403), readers read all, others none of these', async () => {
      const roleId = R.applicationAdministrator;
      const path = rulePath(roleId, 'Expiration_EndUser_Assignment');
      for (const token of [kai, reader]) {
        expectGraphError(await patch(path, EX10, token), 403, 'Authorization_RequestDenied');
      }
      expect(await rulesOf(roleId)).toEqual(EX15_RULES);
      expect(await auditTrail(stack, policyIdOf(roleId))).toEqual([]);

      // A Global Reader reads every view; a user without a reader role (and without roles: Kai) lists
      // nothing and reads no policy (own-policies.test.ts has users with roles of their own).
      for (const list of [`${ASSIGNMENTS}?${TENANT}`, `${POLICIES}?${TENANT}`]) {
        expect((await get(list, reader)).body.value.length, list).toBeGreaterThan(0);
        expect((await get(list, kai)).body, list).toMatchObject({ value: [] });
      }
      const reads = [`${ASSIGNMENTS}/${policyIdOf(roleId)}_${roleId}`, `${POLICIES}/${policyIdOf(roleId)}`, `${POLICIES}/${policyIdOf(roleId)}/rules`, path];
      for (const read of reads) {
        expect((await get(read, reader)).status, read).toBe(200);
        expectGraphError(await get(read, kai), 403, 'Authorization_RequestDenied');
      }
      expectGraphError(await api.call('GET', `${ASSIGNMENTS}?${TENANT}`), 401, 'InvalidAuthenticationToken');
    });

    it("manages a custom role's policy like a built-in one", async () => {
      const path = rulePath(customRoleId, 'Expiration_Admin_Eligibility');
      const body = {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
        id: 'Expiration_Admin_Eligibility',
        isExpirationRequired: true,
        maximumDuration: 'P90D',
        target: { caller: 'Admin', operations: ['all'], level: 'Eligibility' },
      };
      expect((await patch(path, body)).status).toBe(204);
      expect(await getRule(customRoleId, 'Expiration_Admin_Eligibility')).toMatchObject({ isExpirationRequired: true, maximumDuration: 'P90D' });
      const listed = await get(
        `${ASSIGNMENTS}?${filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${customRoleId}'`)}&$expand=policy($expand=rules)`,
      );
      expect(listed.body.value).toHaveLength(1);
      expect(listed.body.value[0].id).toBe(`${policyIdOf(customRoleId)}_${customRoleId}`);
      expect(listed.body.value[0].policy.rules[0]).toMatchObject({ id: 'Expiration_Admin_Eligibility', maximumDuration: 'P90D' });
      expect((await auditTrail(stack, policyIdOf(customRoleId))).map((r) => r.activityDisplayName)).toEqual(['Update role setting in PIM']);
    });

    it('keeps a later PATCH of another rule and a repeated PATCH consistent; concurrent PATCHes never both half-apply', async () => {
      const roleId = R.privilegedAuthenticationAdministrator;
      const results = await Promise.all(['PT3H', 'PT5H'].map((d) => patch(rulePath(roleId, 'Expiration_EndUser_Assignment'), { ...EX10, maximumDuration: d })));
      for (const r of results) expect([204, 409]).toContain(r.status);
      expect(results.some((r) => r.status === 204)).toBe(true);
      const winner = await getRule(roleId, 'Expiration_EndUser_Assignment');
      expect(['PT3H', 'PT5H']).toContain(winner.maximumDuration);
      expect((await auditTrail(stack, policyIdOf(roleId))).length).toBe(results.filter((r) => r.status === 204).length);
      expect((await patch(rulePath(roleId, 'Enablement_EndUser_Assignment'), EX11)).status).toBe(204);
      expect((await getRule(roleId, 'Expiration_EndUser_Assignment')).maximumDuration).toBe(winner.maximumDuration);
      expect((await getRule(roleId, 'Enablement_EndUser_Assignment')).enabledRules).toEqual(EX11.enabledRules);
    });

    it('applies to the policy under its canonical id when the role id is written in another case', async () => {
      const roleId = R.groupsAdministrator;
      expect((await patch(rulePath(roleId.toUpperCase(), 'Expiration_EndUser_Assignment'), { ...EX10, maximumDuration: 'PT6H' })).status).toBe(204);
      expect((await getRule(roleId, 'Expiration_EndUser_Assignment')).maximumDuration).toBe('PT6H');
      expect((await auditTrail(stack, policyIdOf(roleId))).length).toBe(1);
    });
  });

  describe('policies below the tenant (administrative units, resources)', () => {
    it("shows a scope's never-changed policy as the rules it inherits, and starts its own from them", async () => {
      const roleId = R.helpdeskAdministrator; // its tenant policy allows 1h45m activations (ex:10 above)
      const scope = '/administrativeUnits/au-north';
      const scoped = filter(`scopeId eq '${scope}' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleId}'`);
      const listed = await get(`${ASSIGNMENTS}?${scoped}&$expand=policy($expand=rules)`);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      const [assignment] = listed.body.value;
      expect(assignment).toMatchObject({ scopeId: scope.toLowerCase(), scopeType: 'DirectoryRole', roleDefinitionId: roleId });
      expect(assignment.policyId).not.toBe(policyIdOf(roleId));
      const duration = (rules: any[]) => rules.find((r) => r.id === 'Expiration_EndUser_Assignment').maximumDuration;
      expect(duration(assignment.policy.rules)).toBe('PT1H45M');

      expect((await patch(`${POLICIES}/${assignment.policyId}/rules/Enablement_EndUser_Assignment`, EX11)).status).toBe(204);
      const own = (await get(`${POLICIES}/${assignment.policyId}/rules`)).body.value;
      expect(duration(own)).toBe('PT1H45M');
      expect(own.find((r: any) => r.id === 'Enablement_EndUser_Assignment').enabledRules).toContain('Ticketing');
      // The tenant's policy is unchanged.
      expect((await getRule(roleId, 'Enablement_EndUser_Assignment')).enabledRules).toEqual(['MultiFactorAuthentication', 'Justification']);
      // Resource roles have policies at resources, directory roles do not.
      const atResource = await get(`${ASSIGNMENTS}?${filter("scopeId eq '/subscriptions/sub-1' and scopeType eq 'DirectoryRole'")}`);
      expect(atResource.body.value.map((a: any) => a.roleDefinitionId).sort()).toEqual([R.contributor, R.owner, R.reader, R.userAccessAdministrator].sort());
    });
  });
});
