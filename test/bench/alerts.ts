/**
 * `npm run bench -- --alerts`: the read side of a full alerts refresh at scale. Seeds BENCH_ALERT_PRINCIPALS
 * principals (default 10 000: users, role-assignable groups with standing members, service principals) and
 * BENCH_ALERT_ASSIGNMENTS role schedules (default 100 000: eligible and active, privileged and not, direct
 * and through groups, with ended activations), a day of self-activation requests and users' last sign-ins,
 * written straight into DynamoDB Local in batches; then times loadAlertSnapshot and evaluateAlerts, and the
 * process's peak RSS while they run (sampled every 10 ms). The write side (diffing and storing incidents)
 * is added with the refresh.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RoleRequest } from '../../shared/contracts/role-requests.ts';
import { evaluateAlerts } from '../../shared/domain/alerts/evaluate.ts';
import { ALERT_TYPES, type AlertConfigs } from '../../shared/domain/alerts/types.ts';
import { BUILTIN_ROLE_IDS } from '../../shared/domain/builtin-roles.ts';
import type { PrincipalType, Schedule } from '../../shared/domain/schedule.ts';
import { loadAlertSnapshot } from '../../shared/services/alerts/snapshot.ts';
import { refreshAlerts } from '../../shared/services/alerts/refresh.ts';
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import { selfActivationsBetween } from '../../shared/store/activation-requests.ts';
import { allScheduleSummaries } from '../../shared/store/schedule-summaries.ts';
import { keys } from '../../shared/store/keys.ts';
import { requestIndexKeys } from '../../shared/store/role-requests.ts';
import { scheduleItem } from '../../shared/store/role-schedules.ts';
import type { TableContext } from '../../shared/store/table-context.ts';
import { startDynamoLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { fmt, load } from './stats.ts';

const PRINCIPALS = Number(process.env.BENCH_ALERT_PRINCIPALS ?? 10_000);
const ASSIGNMENTS = Number(process.env.BENCH_ALERT_ASSIGNMENTS ?? 100_000);
const GROUPS = Math.max(1, Math.round(PRINCIPALS / 50));
const MEMBERS_PER_GROUP = 20;
const SERVICE_PRINCIPALS = Math.round(PRINCIPALS / 20);
const USERS = PRINCIPALS - GROUPS - SERVICE_PRINCIPALS;
const ACTIVATION_REQUESTS = Math.round(ASSIGNMENTS / 20);
const DAY = 86_400_000;

const CONFIGS: AlertConfigs = {
  RedundantAssignmentAlert: { isEnabled: true, duration: 'P30D' },
  NoMfaOnRoleActivationAlert: { isEnabled: true },
  StaleSignInAlert: { isEnabled: true, duration: 'P30D' },
  RolesAssignedOutsidePrivilegedIdentityManagementAlert: { isEnabled: true },
  TooManyGlobalAdminsAssignedToTenantAlert: { isEnabled: true, globalAdminCountThreshold: 3, percentageOfGlobalAdminsOutOfRolesThreshold: 10 },
  SequentialActivationRenewalsAlert: { isEnabled: true, sequentialActivationCounterThreshold: 10, timeIntervalBetweenActivations: 'PT1H' },
};

const R = BUILTIN_ROLE_IDS;
/** Mostly privileged roles, as PIM tenants hold them, with some that are not. */
const ROLES = [
  R.globalReader,
  R.securityReader,
  R.userAdministrator,
  R.helpdeskAdministrator,
  R.applicationAdministrator,
  R.directoryReaders,
  R.reportsReader,
  R.exchangeAdministrator,
  R.securityAdministrator,
  R.authenticationAdministrator,
];

const progress = (message: string) => process.stderr.write(`[bench alerts] ${message}\n`);
const pad = (n: number) => String(n).padStart(8, '0');
const userId = (n: number) => `usr_BENCH${pad(n)}`;
const groupId = (n: number) => `grp_BENCH${pad(n)}`;
const spId = (n: number) => `spn_BENCH${pad(n)}`;

async function writeAll(table: TableContext, items: Record<string, unknown>[]): Promise<void> {
  const batches = Math.ceil(items.length / 25);
  await load(8, batches, async (b) => {
    let request: Record<string, unknown[]> | undefined = { [table.tableName]: items.slice(b * 25, b * 25 + 25).map((Item) => ({ PutRequest: { Item } })) };
    while (request && Object.keys(request).length > 0) {
      const result = await table.db.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = result.UnprocessedItems as typeof request;
    }
  });
}

function principalItems(now: Date): Record<string, unknown>[] {
  const at = now.toISOString();
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < USERS; n++) {
    const id = userId(n);
    const upn = `bench.user${n}@contoso.test`;
    items.push({
      ...keys.object(id),
      ...keys.listing('user', id),
      type: 'user',
      version: 1,
      data: { id, displayName: `Bench user ${n}`, userPrincipalName: upn, mail: upn, accountEnabled: true, createdDateTime: at },
    });
    // Seven users in ten have signed in, some long ago.
    if (n % 10 < 7)
      items.push({ ...keys.lastSignIn(id), type: 'signIn', userId: id, lastSignInDateTime: new Date(now.getTime() - (n % 60) * DAY).toISOString() });
  }
  for (let n = 0; n < GROUPS; n++) {
    const id = groupId(n);
    items.push({
      ...keys.object(id),
      ...keys.listing('group', id),
      type: 'group',
      version: 1,
      data: { id, displayName: `Bench group ${n}`, isAssignableToRole: true, securityEnabled: true, mailEnabled: false, mailNickname: `bench${n}` },
    });
    for (let m = 0; m < MEMBERS_PER_GROUP; m++) {
      const member = userId((n * MEMBERS_PER_GROUP + m) % USERS);
      items.push({ ...keys.membership(id, member), type: 'membership', groupId: id, memberId: member, memberType: 'user', createdDateTime: at });
      items.push({ ...keys.memberOf(member, id), type: 'memberOf', groupId: id, memberId: member });
    }
  }
  for (let n = 0; n < SERVICE_PRINCIPALS; n++) {
    const id = spId(n);
    items.push({
      ...keys.object(id),
      ...keys.listing('servicePrincipal', id),
      type: 'servicePrincipal',
      version: 1,
      data: { id, displayName: `Bench app ${n}`, appId: `app-${n}`, accountEnabled: true },
    });
  }
  return items;
}

/** The n-th schedule: its principal, kind and role spread so that every alert has work, none of it dominant. */
function scheduleOf(n: number, now: Date): Schedule {
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const slot = n % 20;
  const [principalId, principalType]: [string, PrincipalType] =
    slot === 0 ? [groupId(n % GROUPS), 'group'] : slot === 1 ? [spId(n % SERVICE_PRINCIPALS), 'servicePrincipal'] : [userId(n % USERS), 'user'];
  const eligible = slot >= 10;
  // One in twenty of the active ones is an ended activation (kept for its eligibility's last use).
  const activation = !eligible && slot === 9;
  const roleDefinitionId = slot === 2 && n % 400 === 2 ? R.globalAdministrator : ROLES[n % ROLES.length]!;
  const created = ago(n % 90);
  return {
    id: `sch_BENCH${pad(n)}`,
    kind: eligible ? 'eligibility' : 'assignment',
    principalId,
    principalType,
    roleDefinitionId,
    directoryScopeId: '/',
    appScopeId: null,
    memberType: 'Direct',
    assignmentType: eligible ? null : activation ? 'Activated' : 'Assigned',
    status: 'Provisioned',
    createdUsing: `req_BENCH${pad(n)}`,
    createdDateTime: created,
    modifiedDateTime: null,
    startDateTime: created,
    endDateTime: activation ? new Date(Date.parse(created) + 3600_000).toISOString() : null,
    expirationType: activation ? 'afterDuration' : 'noExpiration',
    duration: activation ? 'PT1H' : null,
    activatedUsing: activation ? `sch_BENCH${pad(n + 1)}` : null,
  };
}

function activationRequestOf(n: number, now: Date): RoleRequest {
  const created = new Date(now.getTime() - (n % 1440) * 60_000).toISOString();
  return {
    id: `req_BENCHACT${pad(n)}`,
    kind: 'assignment',
    action: 'selfActivate',
    canonicalAction: 'selfActivate',
    status: 'Provisioned',
    createdDateTime: created,
    completedDateTime: created,
    approvalId: null,
    customData: null,
    principalId: userId(n % USERS),
    roleDefinitionId: ROLES[n % ROLES.length]!,
    directoryScopeId: '/',
    appScopeId: null,
    isValidationOnly: false,
    targetScheduleId: null,
    justification: 'bench',
    createdBy: { application: null, device: null, user: { id: userId(n % USERS), displayName: null } },
    scheduleInfo: { startDateTime: created, recurrence: null, expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT1H' } },
    ticketInfo: { ticketNumber: null, ticketSystem: null },
  };
}

const mib = (bytes: number) => bytes / 1024 / 1024;

export async function alertsBench(): Promise<void> {
  const dynamo = await startDynamoLocal({ port: await freePort(), maxHeap: '4g' });
  const stack = await startLocalStack({ port: 0, dynamoEndpoint: dynamo.endpoint, tableName: 'bench-alerts', sesPort: false });
  try {
    const svc = stack.runtime.services;
    const now = svc.clock.now();
    let started = performance.now();
    progress(`seeding ${PRINCIPALS} principals (${USERS} users, ${GROUPS} groups × ${MEMBERS_PER_GROUP} members, ${SERVICE_PRINCIPALS} apps)`);
    await writeAll(svc.table, principalItems(now));
    progress(`seeding ${ASSIGNMENTS} schedules and ${ACTIVATION_REQUESTS} activation requests`);
    for (let from = 0; from < ASSIGNMENTS; from += 20_000) {
      const upTo = Math.min(ASSIGNMENTS, from + 20_000);
      await writeAll(
        svc.table,
        Array.from({ length: upTo - from }, (_, i) => scheduleItem(scheduleOf(from + i, now), 1)),
      );
      progress(`  ${upTo} schedules`);
    }
    await writeAll(
      svc.table,
      Array.from({ length: ACTIVATION_REQUESTS }, (_, n) => {
        const r = activationRequestOf(n, now);
        return { ...keys.request(r.id), ...requestIndexKeys(r), type: 'request', version: 1, requestId: r.id, data: r };
      }),
    );
    const seedSeconds = (performance.now() - started) / 1000;

    const rows: Record<string, string>[] = [];
    for (const run of ['first', 'second']) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      started = performance.now();
      const snapshot = await loadAlertSnapshot(svc, now, CONFIGS);
      const loadMs = performance.now() - started;
      started = performance.now();
      const findings = evaluateAlerts(snapshot, CONFIGS, now);
      const evaluateMs = performance.now() - started;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      rows.push({
        run,
        schedules: String(snapshot.schedules.length),
        principals: String(snapshot.principals.length),
        activations: String(snapshot.activations.length),
        'load s': fmt(loadMs / 1000),
        'evaluate s': fmt(evaluateMs / 1000),
        'RSS before MiB': fmt(mib(rssBefore)),
        'peak RSS MiB': fmt(mib(peak)),
        incidents: ALERT_TYPES.map((t) => `${t.replace(/Alert$/, '')} ${findings[t].length}`).join(', '),
      });
    }
    // Where the load's time goes: its largest reads alone.
    const phase = async (name: string, read: () => Promise<unknown[]>) => {
      const t = performance.now();
      const found = await read();
      return { read: name, items: String(found.length), s: fmt((performance.now() - t) / 1000) };
    };
    const phases = [
      await phase('eligibility schedules (4 shards)', () => allScheduleSummaries(svc.table, 'eligibility')),
      await phase('assignment schedules (4 shards)', () => allScheduleSummaries(svc.table, 'assignment')),
      await phase('self-activations of the last day', () => selfActivationsBetween(svc.table, new Date(now.getTime() - DAY), now)),
    ];
    // The whole scan as the hourly job runs it: read, evaluate, write what changed. The first writes every
    // incident (an empty table of alerts); the second finds nothing new and writes only the alerts' state.
    const scans: Record<string, string>[] = [];
    for (const run of ['first (all incidents new)', 'second (nothing changed)']) {
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const t = performance.now();
      const report = await refreshAlerts(svc, { caller: SYSTEM_CALLER, correlationId: `bench-${run}`, system: true });
      clearInterval(sampler);
      scans.push({
        scan: run,
        s: fmt((performance.now() - t) / 1000),
        'incidents written': String(report.changes.reduce((n, c) => n + c.added, 0)),
        'incidents open': String(report.changes.reduce((n, c) => n + c.incidents, 0)),
        'peak RSS MiB': fmt(mib(Math.max(peak, process.memoryUsage().rss))),
      });
    }
    console.log(`\nAlerts at scale: ${PRINCIPALS} principals, ${ASSIGNMENTS} schedules (seeded in ${fmt(seedSeconds)} s)\n`);
    console.table(rows);
    console.table(phases);
    console.table(scans);
  } finally {
    await stack.stop();
    await dynamo.stop();
  }
}
