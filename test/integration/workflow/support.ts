/** Shared bits of the workflow tests. */

/** Polls until `probe` holds (the stream and the runs are asynchronous); fails with `what` after `ms`. */
export async function eventually(probe: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Approver = { userId: string } | { groupId: string };

/** An Approval_EndUser_Assignment rule requiring one stage of these approvers. */
export function approvalRuleFor(approvers: Approver[], o: { timeoutDays?: number; requiredApproverCount?: number } = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: 'Approval_EndUser_Assignment',
    setting: {
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: 'SingleStage',
      approvalStages: [
        {
          approvalStageTimeOutInDays: o.timeoutDays ?? 1,
          isApproverJustificationRequired: false,
          escalationTimeInMinutes: 0,
          isEscalationEnabled: false,
          primaryApprovers: approvers.map((a) => ('userId' in a ? { '@odata.type': '#microsoft.graph.singleUser', ...a } : { '@odata.type': '#microsoft.graph.groupMembers', ...a })),
          escalationApprovers: [],
          ...(o.requiredApproverCount ? { requiredApproverCount: o.requiredApproverCount } : {}),
        },
      ],
    },
    target: { caller: 'EndUser', operations: ['all'], level: 'Assignment', inheritableSettings: [], enforcedSettings: [] },
  };
}
