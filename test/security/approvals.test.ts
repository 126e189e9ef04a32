/**
 * Separation of duties in approvals (issue 12, item 7): one person decides at most one stage of a
 * request, directly or through a group, for roles and for PIM for groups alike; a stage left with fewer
 * approvers than it requires (once the requester is removed) falls back to the Privileged Role
 * Administrators and Global Administrators with its count kept, and is refused when even they are too
 * few. Each attack is refused with a reason and leaves no access behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/domain/clock.ts';
import { GROUP_BASE, activateGroup, makeGroupEligible, patchGroupRule } from '../integration/groups/helpers.ts';
import {
  activate,
  approvalRuleWith,
  ASSIGNMENT_REQUESTS,
  customRole,
  expectGraphError,
  failedRules,
  makeActive,
  makeEligible,
  newGroup,
  newUsers,
  patchRule,
  ROLES,
  startRolesStack,
  tokenOf,
  type ApprovalStageSpec,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';

const APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const PASSWORD = 'microsoft.directory/users/password/update';

describe('approvals keep their separation of duties', () => {
  const clock = new ManualClock('2034-05-01T08:00:00.000Z');
  let ctx: Ctx;
  /** Two Privileged Role Administrators beside the seeded Global Administrator: three default approvers. */
  let pras: TestUser[];
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    pras = await newUsers(ctx, 2, 'pra');
    for (const pra of pras) await makeActive(ctx, pra.id, ROLES.privilegedRoleAdministrator);
  });
  afterAll(() => ctx.stop());

  /** A custom role whose activation needs these stages, and a requester eligible for it. */
  async function roleNeeding(requester: TestUser, stages: ApprovalStageSpec[]): Promise<string> {
    const role = await customRole(ctx, 'SoD');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleWith(stages));
    await makeEligible(ctx, requester.id, role);
    return role;
  }

  async function pending(requester: TestUser, role: string): Promise<string> {
    const result = await activate(ctx, requester, role, { duration: 'PT1H' });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe('PendingApproval');
    return result.body.id;
  }

  const decideAs = async (who: TestUser | 'admin', approvalId: string, stepId: string) =>
    ctx.api.call('PATCH', `${APPROVALS}/${approvalId}/steps/${stepId}`, {
      token: who === 'admin' ? await ctx.admin() : await tokenOf(ctx, who),
      body: { reviewResult: 'Approve', justification: 'Checked' },
    });
  const statusOf = async (id: string) => (await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${id}`, { token: await ctx.admin() })).body.status;
  const mayResetPasswords = async (user: TestUser) =>
    (
      await ctx.api.call('POST', '/access/v1/evaluation', {
        token: await ctx.admin(),
        body: { subject: { type: 'user', id: user.id }, action: { name: PASSWORD }, resource: { type: 'scope', id: '/' } },
      })
    ).body.decision;
  const stepsOf = async (id: string) =>
    (await ctx.api.call('GET', `${APPROVALS}/${id}`, { token: await ctx.admin() })).body.steps as { reviewedBy: { id: string }[] | null }[];

  it('an approver of two serial stages decides the first and is refused on the second (403); someone else must decide it', async () => {
    const [requester, shared, other] = await newUsers(ctx, 3, 'serial');
    const role = await roleNeeding(requester!, [{ approvers: [{ userId: shared!.id }] }, { approvers: [{ userId: shared!.id }, { userId: other!.id }] }]);
    const id = await pending(requester!, role);
    expect((await decideAs(shared!, id, id)).status).toBe(204);

    const refused = expectGraphError(await decideAs(shared!, id, `${id}-2`), 403, 'Approval_SeparationOfDuties');
    expect(refused.message).toMatch(/already decided stage 1/);
    expect(refused.message).toMatch(/another approver/);
    expect(await statusOf(id)).toBe('PendingApproval');
    expect((await stepsOf(id))[1]!.reviewedBy).toBeNull();
    expect(await mayResetPasswords(requester!)).toBe(false);

    expect((await decideAs(other!, id, `${id}-2`)).status).toBe(204);
    expect(await statusOf(id)).toBe('Provisioned');
  });

  it('a member of the approver groups of two stages is refused on the second, as a direct approver would be', async () => {
    const [requester, both, first, second] = await newUsers(ctx, 4, 'viagroup');
    const g1 = await newGroup(ctx, 'stage1', { roleAssignable: false, members: [both!, first!] });
    const g2 = await newGroup(ctx, 'stage2', { roleAssignable: false, members: [both!, second!] });
    const role = await roleNeeding(requester!, [{ approvers: [{ groupId: g1.id }] }, { approvers: [{ groupId: g2.id }] }]);
    const id = await pending(requester!, role);
    expect((await decideAs(both!, id, id)).status).toBe(204);

    expectGraphError(await decideAs(both!, id, `${id}-2`), 403, 'Approval_SeparationOfDuties');
    expect(await statusOf(id)).toBe('PendingApproval');
    expect(await mayResetPasswords(requester!)).toBe(false);
    expect((await decideAs(second!, id, `${id}-2`)).status).toBe(204);
    expect(await statusOf(id)).toBe('Provisioned');
  });

  it('"2 of 2" with the requester among the two does not become "1 of 1": it falls back to the administrators, still needing 2', async () => {
    const [requester, peer] = await newUsers(ctx, 2, 'twooftwo');
    const role = await roleNeeding(requester!, [{ approvers: [{ userId: requester!.id }, { userId: peer!.id }], requiredApproverCount: 2 }]);
    const id = await pending(requester!, role);

    expectGraphError(await decideAs(peer!, id, id), 403, 'Approval_NotAnApprover');
    expect((await decideAs(pras[0]!, id, id)).status).toBe(204);
    expect(await statusOf(id)).toBe('PendingApproval');
    expect(await mayResetPasswords(requester!)).toBe(false);
    expect((await decideAs('admin', id, id)).status).toBe(204);
    expect(await statusOf(id)).toBe('Provisioned');
  });

  it('a stage whose only approver decided the stage before falls back to the administrators rather than to that approver', async () => {
    const [requester, only] = await newUsers(ctx, 2, 'onlyone');
    const role = await roleNeeding(requester!, [{ approvers: [{ userId: only!.id }] }, { approvers: [{ userId: only!.id }] }]);
    const id = await pending(requester!, role);
    expect((await decideAs(only!, id, id)).status).toBe(204);

    expectGraphError(await decideAs(only!, id, `${id}-2`), 403, 'Approval_SeparationOfDuties');
    expect(await mayResetPasswords(requester!)).toBe(false);
    expect((await decideAs(pras[1]!, id, `${id}-2`)).status).toBe(204);
    expect(await statusOf(id)).toBe('Provisioned');
  });

  it('is refused at submission when even the administrators are too few for the required count (nothing is pending)', async () => {
    // Named: the requester and two others, 3 required; default approvers: the admin and two PRAs, one of them the requester.
    const [peer1, peer2] = await newUsers(ctx, 2, 'toofew');
    const requester = pras[0]!;
    const role = await roleNeeding(requester, [
      { approvers: [{ userId: requester.id }, { userId: peer1!.id }, { userId: peer2!.id }], requiredApproverCount: 3 },
    ]);
    const result = await activate(ctx, requester, role, { duration: 'PT1H' });

    const error = expectGraphError(result, 400, 'RoleAssignmentRequestPolicyValidationFailed');
    expect(failedRules(result)).toEqual(['ApprovalRule']);
    expect(error.details![0]!.message).toMatch(/needs 3 approvers other than you/);
    expect(error.details![0]!.message).toMatch(/Privileged Role Administrators and Global Administrators/);
    const mine = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='principal')`, { token: await tokenOf(ctx, requester) });
    expect(mine.body.value.filter((r: { roleDefinitionId: string }) => r.roleDefinitionId === role)).toEqual([]);
    expect(await mayResetPasswords(requester)).toBe(false);
  });

  it('PIM for groups approvals keep it too: the approver of both stages is refused on the second', async () => {
    const [requester, shared, other] = await newUsers(ctx, 3, 'grpsod');
    const group = await newGroup(ctx, 'sod', { roleAssignable: true });
    await makeActive(ctx, group.id, ROLES.helpdeskAdministrator);
    await makeGroupEligible(ctx, requester!.id, group.id);
    await patchGroupRule(
      ctx,
      group.id,
      'member',
      'Approval_EndUser_Assignment',
      approvalRuleWith([{ approvers: [{ userId: shared!.id }] }, { approvers: [{ userId: shared!.id }, { userId: other!.id }] }]),
    );
    const asked = await activateGroup(ctx, requester!, group.id);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const id = asked.body.id as string;
    const decideStage = async (who: TestUser, stageId: string) =>
      ctx.api.call('PATCH', `${GROUP_BASE}/assignmentApprovals/${id}/stages/${stageId}`, {
        token: await tokenOf(ctx, who),
        body: { reviewResult: 'Approve', justification: 'Checked' },
      });
    expect((await decideStage(shared!, id)).status).toBe(204);

    expectGraphError(await decideStage(shared!, `${id}-2`), 403, 'Approval_SeparationOfDuties');
    expect(await mayResetPasswords(requester!)).toBe(false);
    expect((await decideStage(other!, `${id}-2`)).status).toBe(204);
    expect(await mayResetPasswords(requester!)).toBe(true);
  });
});
