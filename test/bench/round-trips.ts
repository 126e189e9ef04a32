/**
 * Round trips and capacity per operation, through the local API and the real handlers: each answer
 * carries the DynamoDB calls it made (STINT_RECORD_DYNAMO_CALLS=1, shared/observability/dynamo-calls.ts),
 * with the capacity units DynamoDB Local reports for them. `npm run bench -- --trips` runs only this; the
 * default run prints its table too.
 *
 * Read round trips count reads made one after another (parallel reads share one); writes and
 * transactions are counted apart. Each operation is measured on fresh users, several times; the table
 * shows the range of round trips and the median of units and handler milliseconds (what Lambda bills).
 */
import { BUILTIN_ROLE_IDS, findBuiltinRole } from '../../shared/domain/builtin-roles.ts';
import { openTally, summarizeCalls, type CallSummary } from '../../shared/observability/dynamo-calls.ts';
import { callApi as call, devToken, type Answer } from './api.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import type { Actor, Services } from '../../shared/services/context.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { makeEligibleUsers } from './eligible-users.ts';
import { fmt, percentile } from './stats.ts';

const ROLE = BUILTIN_ROLE_IDS.securityAdministrator;
const APPROVAL_ROLE = BUILTIN_ROLE_IDS.helpdeskAdministrator;
const ACTION = findBuiltinRole(ROLE)!.rolePermissions[0]!.allowedResourceActions.find((a) => !a.includes('*'))!;
const REQUESTS = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const MY_ROLES = "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')";

export interface TripRow {
  operation: string;
  summaries: CallSummary[];
  ms: number[];
}

const request = (action: string, principalId: string, roleDefinitionId: string, expiration: object) => ({
  action,
  principalId,
  roleDefinitionId,
  directoryScopeId: '/',
  justification: 'benchmark',
  scheduleInfo: { expiration },
});
const evaluation = (id: string) => ({ subject: { type: 'user', id }, action: { name: ACTION }, resource: { type: 'scope', id: '/' } });

/** The portal's people picker: what a person typing "bench t" would send. */
const PICKER = ['displayName', 'userPrincipalName', 'mail'].map((p) => `startswith(${p},'bench t')`).join(' or ');
/** The portal's sign-in call deciding which Manage pages to show. */
const whatMayI = (id: string) => ({
  subject: { type: 'user', id },
  resource: { type: 'scope', id: '/' },
  evaluations: ['roleAssignments.manage', 'policies.manage', 'users.manage', 'accessReviews.manage', 'audit.readAll'].map((p) => ({
    action: { name: `stint/${p}` },
  })),
});

/** Activation of the approval role needs the admin's approval (the policy's single stage). */
async function requireApproval(stack: LocalStack, adminToken: string, approverId: string) {
  const filter = encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${APPROVAL_ROLE}'`);
  const policyId = (await call(stack, 'GET', `/v1.0/policies/roleManagementPolicyAssignments?$filter=${filter}`, adminToken)).body.value[0].policyId;
  await call(stack, 'PATCH', `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Approval_EndUser_Assignment`, adminToken, {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: 'Approval_EndUser_Assignment',
    target: { caller: 'EndUser', operations: ['all'], level: 'Assignment', inheritableSettings: [], enforcedSettings: [] },
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
          escalationApprovers: [],
          primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', userId: approverId }],
        },
      ],
    },
  });
}

/** Measures each operation `times` times; the activation's first decision is measured apart from later ones. */
export async function roundTrips(stack: LocalStack, svc: Services, admin: Actor, adminToken: string, times = 10): Promise<TripRow[]> {
  const rows = new Map<string, TripRow>();
  const note = (operation: string, answer: Answer) => {
    if (!answer.reported) throw new Error('No DynamoDB calls reported: run with STINT_RECORD_DYNAMO_CALLS=1');
    const row = rows.get(operation) ?? { operation, summaries: [], ms: [] };
    if (process.env.BENCH_TRIPS_VERBOSE && row.ms.length === 0) {
      const calls = answer.reported.calls.map((c) => `${c.command}@${c.start.toFixed(0)}-${c.end.toFixed(0)}`);
      process.stderr.write(`[trips] ${operation}: ${calls.join(' ')}\n`);
    }
    row.summaries.push(summarizeCalls(answer.reported.calls));
    row.ms.push(answer.reported.ms);
    rows.set(operation, row);
  };
  const adminId = admin.caller.id;
  await requireApproval(stack, adminToken, adminId);
  const users = await makeEligibleUsers(svc, admin, { count: times, tag: 'trips', roleId: ROLE, duration: 'P30D' });
  const approvers = await makeEligibleUsers(svc, admin, { count: times, tag: 'tripsapproval', roleId: APPROVAL_ROLE, duration: 'P30D' });
  const assignees = await makeEligibleUsers(svc, admin, { count: times, tag: 'tripsassign', roleId: BUILTIN_ROLE_IDS.globalReader, duration: 'P30D' });
  for (let i = 0; i < times; i++) {
    const user = users[i]!;
    const token = await devToken(stack, user.userPrincipalName);
    await call(stack, 'GET', MY_ROLES, token); // signs in once: the first request of an identity links it
    note(
      'activation (selfActivate)',
      await call(stack, 'POST', REQUESTS, token, request('selfActivate', user.id, ROLE, { type: 'afterDuration', duration: 'PT1H' })),
    );
    note('decision, first after activating', await call(stack, 'POST', '/access/v1/evaluation', token, evaluation(user.id)));
    note('decision (AuthZEN evaluation)', await call(stack, 'POST', '/access/v1/evaluation', token, evaluation(user.id)));
    note('"my roles"', await call(stack, 'GET', MY_ROLES, token));
    note('people picker search ($top=10, name or UPN or mail)', await call(stack, 'GET', `/v1.0/users?$filter=${encodeURIComponent(PICKER)}&$top=10`, token));
    note('"what may I do" (5 stint/ evaluations)', await call(stack, 'POST', '/access/v1/evaluations', token, whatMayI(user.id)));

    const requester = approvers[i]!;
    const requesterToken = await devToken(stack, requester.userPrincipalName);
    await call(stack, 'GET', MY_ROLES, requesterToken);
    const pending = await call(
      stack,
      'POST',
      REQUESTS,
      requesterToken,
      request('selfActivate', requester.id, APPROVAL_ROLE, { type: 'afterDuration', duration: 'PT1H' }),
    );
    note('activation needing approval', pending);
    const id = pending.body.id as string;
    note(
      'approval decision (Approve)',
      await call(stack, 'PATCH', `/beta/roleManagement/directory/roleAssignmentApprovals/${id}/steps/${id}`, adminToken, {
        reviewResult: 'Approve',
        justification: 'benchmark',
      }),
    );

    const assignee = assignees[i]!;
    note(
      'assignment (adminAssign, eligible)',
      await call(
        stack,
        'POST',
        '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests',
        adminToken,
        request('adminAssign', assignee.id, ROLE, { type: 'afterDuration', duration: 'P30D' }),
      ),
    );
    note(
      'assignment (adminAssign, active)',
      await call(stack, 'POST', REQUESTS, adminToken, request('adminAssign', assignee.id, ROLE, { type: 'noExpiration' })),
    );
    note('audit page ($top=50)', await call(stack, 'GET', '/v1.0/auditLogs/directoryAudits?$top=50', adminToken));
    note(
      "audit page, a user's own history",
      await call(stack, 'GET', `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(`initiatedBy/user/id eq '${user.id}'`)}`, token),
    );
  }
  return [...rows.values()];
}

/**
 * A clock that can be moved forward: the whole-activation measurement lets its hour pass at once. Waits
 * are polled, so moving it releases the workflow's wait for the end.
 */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  return {
    now,
    advance: (ms) => void (offset += ms),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    until: (at, signal) =>
      new Promise((resolve) => {
        const check = () => (now() >= at || signal?.aborted ? resolve() : setTimeout(check, 20).unref());
        check();
      }),
  };
}

/**
 * Everything an activation costs in DynamoDB, background included: the request, what the stream
 * consumers and the lifecycle workflow do with it, and its expiry on time an hour later (the clock is
 * moved), until the workflow has ended and the stream is drained. Needs the background running.
 */
export async function activationLifecycle(
  stack: LocalStack,
  clock: ReturnType<typeof movableClock>,
  svc: Services,
  admin: Actor,
  times = 5,
): Promise<CallSummary[]> {
  const background = stack.background;
  if (!background) throw new Error('The lifecycle measurement needs the local background (workflows, stream consumers).');
  const users = await makeEligibleUsers(svc, admin, { count: times, tag: 'life', roleId: ROLE, duration: 'P30D' });
  const summaries: CallSummary[] = [];
  for (const user of users) {
    const token = await devToken(stack, user.userPrincipalName);
    await call(stack, 'GET', MY_ROLES, token);
    await background.settle();
    const tally = openTally();
    const id = (await call(stack, 'POST', REQUESTS, token, request('selfActivate', user.id, ROLE, { type: 'afterDuration', duration: 'PT1H' }))).body
      .id as string;
    await background.settle();
    clock.advance(61 * 60_000);
    await background.workflows.settled(id);
    await background.settle();
    summaries.push(summarizeCalls(tally.close()));
  }
  return summaries;
}

const median = (values: number[]) => percentile(values, 50);
const range = (values: number[]) => {
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? `${low}` : `${low}–${high}`;
};

export function printTrips(rows: TripRow[], lifecycle: CallSummary[]): void {
  console.log(`\nRound trips and capacity per operation (DynamoDB Local's ConsumedCapacity; ${rows[0]?.summaries.length ?? 0} runs each)\n`);
  console.log('| operation | read round trips | reads | writes | transactions | RRU (median) | WRU (median) | handler ms p50 |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const s = r.summaries;
    console.log(
      `| ${r.operation} | ${range(s.map((x) => x.readRoundTrips))} | ${range(s.map((x) => x.reads))} | ${range(s.map((x) => x.writes))} | ${range(
        s.map((x) => x.transactions),
      )} | ${fmt(median(s.map((x) => x.readUnits)))} | ${fmt(median(s.map((x) => x.writeUnits)))} | ${fmt(median(r.ms))} |`,
    );
  }
  if (lifecycle.length > 0) {
    console.log(
      `\nWhole activation (request, stream consumers, workflow, expiry on time; ${lifecycle.length} runs): ${range(lifecycle.map((x) => x.calls))} calls, ` +
        `RRU median ${fmt(median(lifecycle.map((x) => x.readUnits)))}, WRU median ${fmt(median(lifecycle.map((x) => x.writeUnits)))}`,
    );
  }
}

/**
 * The whole measurement on its own stack (a table of its own in the same DynamoDB Local), with recording
 * on and the background running: the latency figures of the default run are taken without either.
 */
export async function tripsBench(dynamoEndpoint: string, progress: (message: string) => void, times = Number(process.env.BENCH_TRIPS || 10)): Promise<void> {
  const was = process.env.STINT_RECORD_DYNAMO_CALLS;
  process.env.STINT_RECORD_DYNAMO_CALLS = '1';
  const clock = movableClock();
  const stack = await startLocalStack({
    port: 0,
    dynamoEndpoint,
    clock,
    tableName: `stint-trips-${Date.now()}`,
    background: { sweepIntervalMs: 0 },
    sesPort: false,
  });
  try {
    const adminToken = await devToken(stack, 'admin@contoso.test');
    const adminId = (await call(stack, 'GET', '/v1.0/users/admin@contoso.test', adminToken)).body.id as string;
    const admin: Actor = {
      caller: { kind: 'user', id: adminId, authMethods: ['pwd', 'mfa'], authTime: Math.floor(Date.now() / 1000) },
      correlationId: 'bench-trips',
    };
    progress(`round trips and capacity: ${times} runs of each operation`);
    const rows = await roundTrips(stack, stack.runtime.services, admin, adminToken, times);
    progress('round trips and capacity: whole activations, background included');
    const lifecycle = await activationLifecycle(stack, clock, stack.runtime.services, admin, Math.min(times, 5));
    printTrips(rows, lifecycle);
  } finally {
    await stack.stop();
    if (was === undefined) delete process.env.STINT_RECORD_DYNAMO_CALLS;
    else process.env.STINT_RECORD_DYNAMO_CALLS = was;
  }
}
