/**
 * `npm run bench -- --aws`: AWS access through the local emulator (moto_server behind its proxy), the whole
 * local stack with the real lifecycle state machine:
 *   - grant latency: selfActivate → the account assignment is listed by the emulator, and → the request is
 *     Provisioned (Stint's confirmation), over BENCH_AWS_CYCLES activations (default 30), one at a time;
 *   - revoke latency: selfDeactivate → the assignment is gone from the emulator;
 *   - Identity Center calls per grant and per revoke (the port wrapped to count, by operation);
 *   - one reconcile over BENCH_AWS_RECORDS assignment records (default 10 000), each held by an active
 *     schedule and present in AWS: written straight into the table (applyHolder, moveState) and created in
 *     the emulator, so the run finds everything in line and measures the reading and comparing.
 * moto answers every operation SUCCEEDED at once: the latencies are Stint's own overhead (lifecycle steps,
 * table writes, the emulator's HTTP), not Identity Center's provisioning time, which AWS does not publish.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import { ManualClock } from '../../shared/domain/clock.ts';
import type { Schedule } from '../../shared/domain/schedule.ts';
import { applyHolder, getAssignmentRecord, moveState } from '../../shared/store/aws-assignments.ts';
import { getAwsUserLink, listAwsRoles } from '../../shared/store/aws-directory.ts';
import { scheduleItem } from '../../shared/store/role-schedules.ts';
import type { IdentityCenter } from '../../shared/services/aws/identity-center.ts';
import { reconcileAws } from '../../shared/services/aws/reconcile.ts';
import { startDynamoLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';
import { demoPeople } from '../../infra/local/seed.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { callApi, devToken } from './api.ts';
import { fmt, load, percentile } from './stats.ts';

const CYCLES = Number(process.env.BENCH_AWS_CYCLES ?? 30);
const RECORDS = Number(process.env.BENCH_AWS_RECORDS ?? 10_000);
const AWS = '/v1.0/roleManagement/aws';
const MINUTE = 60_000;

const progress = (message: string) => process.stderr.write(`[bench aws] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** The port with every call counted by operation. */
function counting(center: IdentityCenter): { center: IdentityCenter; counts: Map<string, number>; reset(): Record<string, number> } {
  const counts = new Map<string, number>();
  const wrapped = new Proxy(center, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.set(String(name), (counts.get(String(name)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    center: wrapped,
    counts,
    reset() {
      const snapshot = Object.fromEntries(counts);
      counts.clear();
      return snapshot;
    },
  };
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

function averageCalls(samples: Record<string, number>[]): string {
  const ops = new Set(samples.flatMap((s) => Object.keys(s)));
  const parts = [...ops].sort().map((op) => `${op} ${fmt(samples.reduce((a, s) => a + (s[op] ?? 0), 0) / samples.length)}`);
  return `${fmt(samples.reduce((a, s) => a + total(s), 0) / samples.length)} (${parts.join(', ')})`;
}

async function latencies(stack: LocalStack, clock: ManualClock, raw: IdentityCenter, counter: ReturnType<typeof counting>) {
  const svc = stack.runtime.services;
  const admin = await devToken(stack, 'admin@contoso.test');
  const roles = (await listAwsRoles(svc.table)).filter((r) => r.data.isEnabled);
  const accounts = (await callApi(stack, 'GET', `${AWS}/accounts`, admin)).body.value as { id: string; parents: { id: string }[] }[];
  const rootId = accounts[0]!.parents.at(-1)!.id;
  const people = demoPeople().slice(0, 5);
  const ids: Record<string, string> = {};
  for (const person of people) {
    const upn = person.userPrincipalName;
    ids[upn] = (await callApi(stack, 'GET', `/v1.0/users/${upn}`, admin)).body.id;
    for (const role of roles) {
      await callApi(stack, 'POST', `${AWS}/roleEligibilityScheduleRequests`, admin, {
        action: 'adminAssign',
        principalId: ids[upn],
        roleDefinitionId: role.data.id,
        directoryScopeId: `/ous/${rootId}`,
        justification: 'benchmark',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      });
    }
  }
  const grant: number[] = [];
  const provisioned: number[] = [];
  const revoke: number[] = [];
  const grantCalls: Record<string, number>[] = [];
  const revokeCalls: Record<string, number>[] = [];
  // The activation's run stays (it waits for the end); a sync-only run ends once AWS matches.
  const syncing = () => stack.background!.workflows.runs().some((r) => r.status === 'running' && r.name.includes('-aws-'));
  for (let i = 0; i < CYCLES; i++) {
    const upn = people[i % people.length]!.userPrincipalName;
    const role = roles[Math.floor(i / people.length) % roles.length]!;
    const account = accounts[Math.floor(i / (people.length * roles.length)) % accounts.length]!;
    const link = await getAwsUserLink(svc.table, ids[upn]!);
    const visible = async () => (await raw.listAssignments(account.id, role.data.permissionSetArn)).some((a) => a.userId === link!.identityStoreUserId);
    const body = { principalId: ids[upn], roleDefinitionId: role.data.id, directoryScopeId: `/accounts/${account.id}`, justification: 'benchmark' };
    counter.reset();
    // The clock moves six minutes a cycle: fresh tokens (an hour's lifetime, MFA fresh for fifteen minutes).
    const token = await devToken(stack, upn);
    const reader = await devToken(stack, 'admin@contoso.test');
    const started = performance.now();
    const request = await callApi(stack, 'POST', `${AWS}/roleAssignmentScheduleRequests`, token, {
      ...body,
      action: 'selfActivate',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
    });
    await until(visible, 'the assignment in the emulator');
    grant.push(performance.now() - started);
    await until(
      async () => (await callApi(stack, 'GET', `${AWS}/roleAssignmentScheduleRequests/${request.body.id}`, reader)).body.status === 'Provisioned',
      'Provisioned',
    );
    provisioned.push(performance.now() - started);
    grantCalls.push(counter.reset());

    // Deactivation needs five minutes of activation.
    clock.advance(6 * MINUTE);
    const again = await devToken(stack, upn);
    const stopping = performance.now();
    await callApi(stack, 'POST', `${AWS}/roleAssignmentScheduleRequests`, again, { ...body, action: 'selfDeactivate' });
    await until(async () => !(await visible()), 'the assignment gone from the emulator');
    revoke.push(performance.now() - stopping);
    await until(
      async () =>
        !syncing() &&
        (await getAssignmentRecord(svc.table, { accountId: account.id, permissionSetId: role.data.id, userId: link!.identityStoreUserId }))?.state === 'absent',
      'the revoke run to end',
    );
    revokeCalls.push(counter.reset());
    progress(`cycle ${i + 1}/${CYCLES}: grant ${fmt(grant.at(-1)!)} ms, revoke ${fmt(revoke.at(-1)!)} ms`);
  }
  console.log(`\nAWS access through the emulator (${CYCLES} activations, one at a time), ms:`);
  console.table([
    { metric: 'activation → assignment listed in the emulator', p50: fmt(percentile(grant, 50)), p99: fmt(percentile(grant, 99)) },
    { metric: 'activation → request Provisioned', p50: fmt(percentile(provisioned, 50)), p99: fmt(percentile(provisioned, 99)) },
    { metric: 'deactivation → assignment gone from the emulator', p50: fmt(percentile(revoke, 50)), p99: fmt(percentile(revoke, 99)) },
  ]);
  console.log(`Identity Center calls per grant:  ${averageCalls(grantCalls)}`);
  console.log(`Identity Center calls per revoke: ${averageCalls(revokeCalls)}`);
}

/** RECORDS records, each held by an active schedule, present in the table and in the emulator. */
async function fill(stack: LocalStack, raw: IdentityCenter, now: Date) {
  const svc = stack.runtime.services;
  const roles = (await listAwsRoles(svc.table)).filter((r) => r.data.isEnabled);
  const accounts = (await callApi(stack, 'GET', `${AWS}/accounts`, await devToken(stack, 'admin@contoso.test'))).body.value as { id: string }[];
  const at = now.toISOString();
  const entry = (n: number) => {
    const role = roles[n % roles.length]!;
    const accountId = accounts[Math.floor(n / roles.length) % accounts.length]!.id;
    const schedule: Schedule = {
      id: `req_AWSB${String(n).padStart(22, '0')}`,
      kind: 'assignment',
      principalId: `usr_AWSB${String(n).padStart(22, '0')}`,
      principalType: 'user',
      roleDefinitionId: role.data.id,
      directoryScopeId: `/accounts/${accountId}`,
      appScopeId: null,
      memberType: 'Direct',
      assignmentType: 'Assigned',
      status: 'Provisioned',
      createdUsing: `req_AWSB${String(n).padStart(22, '0')}`,
      createdDateTime: at,
      modifiedDateTime: null,
      startDateTime: at,
      endDateTime: null,
      expirationType: 'noExpiration',
      duration: null,
      activatedUsing: null,
    };
    return { schedule, key: { accountId, permissionSetId: role.data.id, userId: `bench-user-${n}` }, permissionSetArn: role.data.permissionSetArn };
  };
  const entries = Array.from({ length: RECORDS }, (_, n) => entry(n));
  const { db, tableName } = svc.table;
  const t0 = performance.now();
  const batches = Math.ceil(RECORDS / 25);
  await load(8, batches, async (b) => {
    let request: Record<string, unknown[]> | undefined = {
      [tableName]: entries.slice(b * 25, b * 25 + 25).map((e) => ({ PutRequest: { Item: scheduleItem(e.schedule, 1) } })),
    };
    while (request && Object.keys(request).length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = result.UnprocessedItems as typeof request;
    }
  });
  await load(16, RECORDS, async (n) => {
    const e = entries[n]!;
    await applyHolder(svc.table, {
      key: e.key,
      permissionSetArn: e.permissionSetArn,
      principalId: e.schedule.principalId,
      scheduleId: e.schedule.id,
      version: 1,
      holds: true,
    });
    const record = (await getAssignmentRecord(svc.table, e.key))!;
    await moveState(svc.table, { from: record, state: 'present', presentSince: at, grantedByStint: true }, now);
  });
  progress(`${RECORDS} schedules and records written in ${fmt((performance.now() - t0) / 1000)} s`);
  const t1 = performance.now();
  await load(16, RECORDS, (n) =>
    raw.createAssignment({ accountId: entries[n]!.key.accountId, permissionSetArn: entries[n]!.permissionSetArn, userId: entries[n]!.key.userId }),
  );
  progress(`${RECORDS} assignments created in the emulator in ${fmt((performance.now() - t1) / 1000)} s`);
  return { pairs: roles.length * accounts.length };
}

async function reconcileAtScale(stack: LocalStack, clock: ManualClock, raw: IdentityCenter, counter: ReturnType<typeof counting>) {
  const svc = stack.runtime.services;
  const { pairs } = await fill(stack, raw, clock.now());
  const rows = [];
  for (const run of ['first', 'second']) {
    counter.reset();
    const actor = { caller: SYSTEM_CALLER, correlationId: `bench-reconcile-${run}`, system: true };
    const started = performance.now();
    const report = await reconcileAws(svc, actor);
    const ms = performance.now() - started;
    const calls = counter.reset();
    rows.push({
      run,
      records: report.records,
      'time (s)': fmt(ms / 1000),
      ...Object.fromEntries(Object.entries(report.phasesMs).map(([phase, phaseMs]) => [`${phase} (s)`, fmt(phaseMs / 1000)])),
      'AWS calls': total(calls),
      granted: report.granted.length,
      revoked: report.revoked.length,
      outside: report.outsideStint.length,
      'holders fixed': report.staleHoldersFixed + report.missingHoldersAdded,
      errors: report.errors.length,
    });
  }
  console.log(`\nReconcile of ${RECORDS} assignment records, all in line (${pairs} permission set × account pairs listed from the emulator):`);
  console.table(rows);
}

export async function awsBench(): Promise<void> {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  const clock = new ManualClock(new Date());
  const stack = await startLocalStack({
    port: 0,
    dynamoEndpoint: dynamo.endpoint,
    tableName: 'bench-aws',
    clock,
    sesPort: false,
    awsPort: 0,
    background: { sweepIntervalMs: 0, reviewIntervalMs: 0, awsReconcileIntervalMs: 0 },
  });
  try {
    const aws = stack.runtime.services.aws;
    if (!aws) throw new Error('moto_server is not on PATH: the AWS bench needs the local emulator.');
    const raw = aws.center;
    const counter = counting(raw);
    aws.center = counter.center;
    if (CYCLES > 0) await latencies(stack, clock, raw, counter);
    if (RECORDS > 0) await reconcileAtScale(stack, clock, raw, counter);
  } finally {
    await stack.stop();
    await dynamo.stop();
  }
}
