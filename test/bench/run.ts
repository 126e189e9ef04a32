/**
 * `npm run bench`: measures, on this machine, what matters for PIM latency and throughput, each beside
 * a raw DynamoDB Local query measured in the same run (the floor any request through the table has):
 *   - activation to usable: POST selfActivate → first allowed access evaluation;
 *   - access evaluations per second and latency at 16 concurrent clients;
 *   - "my roles" latency with 1k and with 100k assignments in the table;
 *   - the audit export (streamed CSV) of 1/10 and all of BENCH_AUDIT_RECORDS audit records (default 1000000):
 *     time, throughput and peak RSS (audit-export.ts).
 *   - an access review of BENCH_REVIEW_ITEMS eligible assignments (default 1000): start, a reviewer's page,
 *     a decision, the end with its removals (access-reviews.ts).
 *   - round trips and capacity units per operation, and latency in handler ms (round-trips.ts; alone with `--trips`).
 * Not part of `npm test`. BENCH_LARGE sets the large table size (default 100000); `npm run bench -- --audit`
 * runs only the audit export, `-- --reviews` only the access review; BENCH_AUDIT_RECORDS=0 and
 * BENCH_REVIEW_ITEMS=0 skip them. `npm run bench -- --cold [--no-synth]` reports each Lambda's bundle size and import time (cold.ts);
 * `npm run bench -- --portal` the portal's initial JavaScript and how fast My roles becomes usable (portal.ts);
 * `npm run bench -- --aws` AWS access through the local emulator: grant and revoke latency, Identity Center
 * calls per grant, and a reconcile of 10 000 assignment records (aws.ts).
 * `npm run bench -- --alerts` the alerts' snapshot and evaluation over 10 000 principals and 100 000
 * assignments: time and peak RSS (alerts.ts).
 */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BUILTIN_ROLE_IDS, findBuiltinRole } from '../../shared/domain/builtin-roles.ts';
import type { Schedule } from '../../shared/domain/schedule.ts';
import { keys } from '../../shared/store/keys.ts';
import { scheduleItem } from '../../shared/store/role-schedules.ts';
import type { Actor } from '../../shared/services/context.ts';
import { createUser } from '../../shared/services/directory/users.ts';
import { startDynamoLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { fillAudit, measureExport, type ExportMeasurement } from './audit-export.ts';
import { reviewBench } from './access-reviews.ts';
import { tripsBench } from './round-trips.ts';
import { callApi, devToken } from './api.ts';
import { makeEligibleUsers } from './eligible-users.ts';
import { fmt, load, percentile, timed } from './stats.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROLE = BUILTIN_ROLE_IDS.securityAdministrator;
/** An action Security Administrator really grants, taken from its definition. */
const ACTION = findBuiltinRole(ROLE)!.rolePermissions[0]!.allowedResourceActions.find((a) => !a.includes('*'))!;
const LARGE = Number(process.env.BENCH_LARGE || 100_000);
const AUDIT_RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 1_000_000);
const AUDIT_ONLY = process.argv.includes('--audit');
const REVIEWS_ONLY = process.argv.includes('--reviews');
const TRIPS_ONLY = process.argv.includes('--trips');
const REVIEW_ITEMS = Number(process.env.BENCH_REVIEW_ITEMS ?? 1000);

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

interface Row {
  metric: string;
  p50: number;
  p99: number;
  rate?: number;
  rawP50: number;
  rawP99: number;
}

const json = async (stack: LocalStack, method: string, path: string, token: string, body?: unknown) => (await callApi(stack, method, path, token, body)).body;

/** The raw floor: the same consistent partition query "my roles" and decisions start from. */
async function rawQuery(stack: LocalStack, principalId: string, clients: number, total: number) {
  const { db, tableName } = stack.runtime.services.table;
  return load(clients, total, () =>
    db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.schedule(principalId, 'assignment', 'x').pk },
        ConsistentRead: true,
      }),
    ),
  );
}

function activation(principalId: string) {
  return {
    action: 'selfActivate',
    principalId,
    roleDefinitionId: ROLE,
    directoryScopeId: '/',
    justification: 'benchmark',
    scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
  };
}

const evaluation = (id: string) => ({ subject: { type: 'user', id }, action: { name: ACTION }, resource: { type: 'scope', id: '/' } });

/** Fills the table with `count` assignment schedules of other principals, 25 per batch, 8 batches at a time. */
async function fillTable(stack: LocalStack, count: number, already: number) {
  const { db, tableName } = stack.runtime.services.table;
  const now = new Date().toISOString();
  const item = (n: number) => {
    const s: Schedule = {
      id: `req_FILL${String(n).padStart(22, '0')}`,
      kind: 'assignment',
      principalId: `usr_FILL${String(n % 20_000).padStart(22, '0')}`,
      principalType: 'user',
      roleDefinitionId: BUILTIN_ROLE_IDS.globalReader,
      directoryScopeId: '/',
      appScopeId: null,
      memberType: 'Direct',
      assignmentType: 'Assigned',
      status: 'Provisioned',
      createdUsing: `req_FILL${n}`,
      createdDateTime: now,
      modifiedDateTime: null,
      startDateTime: now,
      endDateTime: null,
      expirationType: 'noExpiration',
      duration: null,
      activatedUsing: null,
    };
    return scheduleItem(s, 1);
  };
  const batches: number[][] = [];
  for (let n = already; n < count; n += 25) batches.push(Array.from({ length: Math.min(25, count - n) }, (_, i) => n + i));
  await load(8, batches.length, async (b) => {
    let request: Record<string, unknown[]> | undefined = { [tableName]: batches[b]!.map((n) => ({ PutRequest: { Item: item(n) } })) };
    while (request && Object.keys(request).length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = result.UnprocessedItems as typeof request;
    }
  });
}

async function myRoles(stack: LocalStack, userToken: string, principalId: string, label: string): Promise<Row> {
  const path = "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')";
  for (let i = 0; i < 20; i++) await json(stack, 'GET', path, userToken);
  const measured = await load(1, 300, () => json(stack, 'GET', path, userToken));
  const raw = await rawQuery(stack, principalId, 1, 300);
  return {
    metric: `"my roles", ${label} assignments in table`,
    p50: percentile(measured.latencies, 50),
    p99: percentile(measured.latencies, 99),
    rawP50: percentile(raw.latencies, 50),
    rawP99: percentile(raw.latencies, 99),
  };
}

/** Fills a tenth of the audit records, exports, fills the rest, exports again: the peaks should match. */
async function auditExportBench(stack: LocalStack, adminToken: string) {
  const sizes = [Math.floor(AUDIT_RECORDS / 10), AUDIT_RECORDS];
  const rows: (ExportMeasurement & { fillSeconds: number })[] = [];
  let filled = 0;
  for (const size of sizes) {
    progress(`audit export: filling ${size} audit records`);
    const fillStart = performance.now();
    await fillAudit(stack, filled, size);
    const fillSeconds = (performance.now() - fillStart) / 1000;
    filled = size;
    progress(`audit export: downloading ${size} records as CSV`);
    rows.push({ ...(await measureExport(stack, adminToken, size)), fillSeconds });
  }
  console.log(`\nAudit export (streamed CSV through the local server, chunks of 4 MiB), Node ${process.version}\n`);
  console.log('| audit records filled | CSV rows | MiB | export s | rows/s | MiB/s | RSS before MiB | peak RSS during export MiB | fill s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.records} | ${r.rows} | ${fmt(r.megabytes)} | ${fmt(r.seconds)} | ${fmt(r.rows / r.seconds)} | ${fmt(r.megabytes / r.seconds)} | ${fmt(r.rssBeforeMiB)} | ${fmt(r.peakRssMiB)} | ${fmt(r.fillSeconds)} |`,
    );
  }
}

async function main() {
  // A million audit records do not fit DynamoDB Local's default heap.
  const dynamo = await startDynamoLocal({ port: await freePort(), maxHeap: '6g' });
  if (TRIPS_ONLY) return await tripsBench(dynamo.endpoint, progress).finally(() => dynamo.stop());
  const stack = await startLocalStack({ port: 0, dynamoEndpoint: dynamo.endpoint });
  try {
    if (AUDIT_ONLY) {
      await auditExportBench(stack, await devToken(stack, 'admin@contoso.test'));
      return;
    }
    const svc = stack.runtime.services;
    const adminToken = await devToken(stack, 'admin@contoso.test');
    const adminId = (await json(stack, 'GET', '/v1.0/users/admin@contoso.test', adminToken)).id as string;
    const admin: Actor = {
      caller: { kind: 'user', id: adminId, authMethods: ['pwd', 'mfa'], authTime: Math.floor(Date.now() / 1000) },
      correlationId: 'bench',
    };
    const reviews = async () => {
      const reviewer = await createUser(svc, admin, { displayName: 'Bench reviewer', userPrincipalName: 'bench.reviewer@contoso.test' });
      await reviewBench(
        stack,
        admin,
        adminToken,
        await devToken(stack, 'bench.reviewer@contoso.test'),
        reviewer.id,
        (m, p, t, b) => json(stack, m, p, t, b),
        REVIEW_ITEMS,
        progress,
      );
    };
    if (REVIEWS_ONLY) return await reviews();
    const rows: Row[] = [];

    progress('activation to usable');
    const users = await makeEligibleUsers(svc, admin, { count: 40, tag: 'act', roleId: ROLE, duration: 'P30D' });
    const activationLatencies: number[] = [];
    let extraEvaluations = 0;
    for (const user of users) {
      const userToken = await devToken(stack, user.userPrincipalName);
      const { ms } = await timed(async () => {
        await json(stack, 'POST', '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests', userToken, activation(user.id));
        while (!(await json(stack, 'POST', '/access/v1/evaluation', userToken, evaluation(user.id))).decision) {
          if (++extraEvaluations > 1000) throw new Error(`${ACTION} is still denied after activation`);
        }
      });
      activationLatencies.push(ms);
    }
    const rawSeq = await rawQuery(stack, users[0]!.id, 1, 500);
    rows.push({
      metric: 'activation → first allowed evaluation',
      p50: percentile(activationLatencies, 50),
      p99: percentile(activationLatencies, 99),
      rawP50: percentile(rawSeq.latencies, 50),
      rawP99: percentile(rawSeq.latencies, 99),
    });

    progress('evaluations at 16 concurrent clients');
    const evaluator = users[0]!;
    const evaluatorToken = await devToken(stack, evaluator.userPrincipalName);
    await load(16, 200, () => json(stack, 'POST', '/access/v1/evaluation', evaluatorToken, evaluation(evaluator.id)));
    const evals = await load(16, 3000, () => json(stack, 'POST', '/access/v1/evaluation', evaluatorToken, evaluation(evaluator.id)));
    const rawConcurrent = await rawQuery(stack, evaluator.id, 16, 3000);
    rows.push({
      metric: 'access evaluation, 16 concurrent clients',
      p50: percentile(evals.latencies, 50),
      p99: percentile(evals.latencies, 99),
      rate: evals.latencies.length / evals.seconds,
      rawP50: percentile(rawConcurrent.latencies, 50),
      rawP99: percentile(rawConcurrent.latencies, 99),
    });

    progress('"my roles" at 1k assignments');
    const [me] = await makeEligibleUsers(svc, admin, { count: 1, tag: 'mine', roleId: ROLE, duration: 'P30D' });
    const meToken = await devToken(stack, me!.userPrincipalName);
    await json(stack, 'POST', '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests', meToken, activation(me!.id));
    await fillTable(stack, 1000, 0);
    rows.push(await myRoles(stack, meToken, me!.id, '1k'));
    progress(`"my roles" at ${LARGE} assignments (filling the table)`);
    const fillStart = performance.now();
    await fillTable(stack, LARGE, 1000);
    const fillSeconds = (performance.now() - fillStart) / 1000;
    rows.push(await myRoles(stack, meToken, me!.id, `${LARGE / 1000}k`));

    console.log(
      `\nStint benchmark — ${new Date().toISOString()}, Node ${process.version}, DynamoDB Local in memory, ${extraEvaluations} extra evaluations needed after activations\n`,
    );
    console.log('| metric | p50 ms | p99 ms | req/s | raw query p50 ms | raw query p99 ms | p99 ratio |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.metric} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.rate ? fmt(r.rate) : ''} | ${fmt(r.rawP50)} | ${fmt(r.rawP99)} | ${fmt(r.p99 / r.rawP99)}× |`,
      );
    }
    console.log(`\nFilled ${LARGE - 1000} assignments in ${fillSeconds.toFixed(1)} s; process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB.`);
    void svc;
    await tripsBench(dynamo.endpoint, progress);
    if (REVIEW_ITEMS > 0) await reviews();
    if (AUDIT_RECORDS > 0) await auditExportBench(stack, adminToken);
  } finally {
    await stack.stop();
    await dynamo.stop();
  }
}

// `--cold` measures the synthesized Lambda bundles instead (cold.ts): no DynamoDB, no local stack.
// `--portal` measures the portal's budgets in Chromium (portal.ts); `--aws` AWS access through moto_server (aws.ts);
// `--alerts` the alerts' snapshot and evaluation at scale (alerts.ts).
const bench = process.argv.includes('--cold')
  ? () => import('./cold.ts').then((cold) => cold.coldBench())
  : process.argv.includes('--portal')
    ? () => import('./portal.ts').then((portal) => portal.portalBench())
    : process.argv.includes('--aws')
      ? () => import('./aws.ts').then((aws) => aws.awsBench())
      : process.argv.includes('--alerts')
        ? () => import('./alerts.ts').then((alerts) => alerts.alertsBench())
        : main;
// Exit when done: a stopped local stack may leave a poller's timer behind, and the figures are printed.
bench().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
