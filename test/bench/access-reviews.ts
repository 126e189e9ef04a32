/**
 * Access reviews at scale: BENCH_REVIEW_ITEMS eligible users (default 1,000) of one role, a review of it
 * whose default decision denies everything, and then, timed: the job starting the instance (reading who
 * holds the role, their activation history and usage, writing one decision item each); a reviewer's page
 * of decisions (filterByCurrentUser, $top=100, p50/p99 of 100 reads); one decision; and stopping the
 * instance, which takes the default for every item and removes every eligibility through the normal
 * removal path. Peak RSS of this process (server and client) is sampled throughout.
 */
import { BUILTIN_ROLE_IDS } from '../../shared/domain/builtin-roles.ts';
import type { LocalStack } from '../../infra/local/stack.ts';
import { runDueReviews } from '../../shared/services/access-reviews/run-due.ts';
import type { Actor } from '../../shared/services/context.ts';
import { makeEligibleUsers } from './eligible-users.ts';
import { fmt, load, percentile, timed } from './stats.ts';

const ROLE = BUILTIN_ROLE_IDS.helpdeskAdministrator;
const DEFS = '/v1.0/identityGovernance/accessReviews/definitions';

type Call = (method: string, path: string, token: string, body?: unknown) => Promise<any>;

export async function reviewBench(
  stack: LocalStack,
  admin: Actor,
  adminToken: string,
  reviewerToken: string,
  reviewerId: string,
  call: Call,
  items: number,
  progress: (m: string) => void,
) {
  const svc = stack.runtime.services;
  progress(`access reviews: ${items} eligible users`);
  await makeEligibleUsers(svc, admin, { count: items, tag: 'reviewed', roleId: ROLE, duration: 'P90D', clients: 8 });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const created = await call('POST', DEFS, adminToken, {
      displayName: 'Bench review',
      scope: {
        '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
        resourceScopes: [{ query: `/roleManagement/directory/roleDefinitions/${ROLE}` }],
      },
      reviewers: [{ query: `/users/${reviewerId}` }],
      settings: { instanceDurationInDays: 7, defaultDecisionEnabled: true, defaultDecision: 'Deny', autoApplyDecisionsEnabled: true },
    });
    progress('access reviews: starting the instance');
    const start = await timed(() => runDueReviews(svc));
    const [instance] = (await call('GET', `${DEFS}/${created.id}/instances`, adminToken)).value;
    const base = `${DEFS}/${created.id}/instances/${instance.id}`;
    const page = await load(1, 100, () => call('GET', `${base}/decisions/filterByCurrentUser(on='reviewer')?$top=100`, reviewerToken));
    const [first] = (await call('GET', `${base}/decisions?$top=1`, adminToken)).value;
    const decide = await timed(() => call('PATCH', `${base}/decisions/${first.id}`, reviewerToken, { decision: 'Approve', justification: 'bench' }));
    progress(`access reviews: stopping, taking ${items - 1} defaults and removing as many eligibilities`);
    const stop = await timed(() => call('POST', `${base}/stop`, adminToken));
    const afterStop = await call('GET', base, adminToken);
    // The call does what fits in its budget; the job (run here back to back) does the rest.
    const rest = await timed(async () => {
      let runs = 0;
      while ((await call('GET', base, adminToken)).status !== 'Applied' && runs++ < 50) await runDueReviews(svc);
      return runs;
    });
    const done = await call('GET', base, adminToken);
    console.log(`\nAccess review of ${items} eligible assignments (Node ${process.version})\n`);
    console.log('| step | result |');
    console.log('|---|---|');
    console.log(`| job starts the instance (enumerate, recommend, write ${instance.decisionCount} items) | ${fmt(start.ms / 1000)} s |`);
    console.log(`| reviewer's page of 100 decisions | p50 ${fmt(percentile(page.latencies, 50))} ms, p99 ${fmt(percentile(page.latencies, 99))} ms |`);
    console.log(`| one decision (PATCH) | ${fmt(decide.ms)} ms |`);
    console.log(`| stop call (answers after its 10 s budget; instance then ${afterStop.status}) | ${fmt(stop.ms / 1000)} s |`);
    console.log(
      `| the rest by ${rest.value} job run(s): ${done.summary.denied} default denials, ${done.summary.removed} removals in all | ${fmt(rest.ms / 1000)} s; end to end ${fmt((stop.ms + rest.ms) / Math.max(1, done.summary.denied))} ms an item |`,
    );
    console.log(`| peak RSS of server + client during the review | ${fmt(peak / 2 ** 20)} MiB |`);
  } finally {
    clearInterval(sampler);
  }
}
