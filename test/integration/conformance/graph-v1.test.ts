/**
 * Every v1.0 answer of a filled stack, checked against Microsoft Graph's v1.0 schema
 * (test/conformance/graph-metadata): a new property, a wrong type or a route Graph has not got fails here,
 * naming the route, the JSON path and the rule broken. What Stint adds must be the README's list.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { ALL_ROUTES } from '../../../shared/contracts/routes/index.ts';
import { runDueReviews } from '../../../shared/services/access-reviews/run-due.ts';
import { graphV1 } from '../../conformance/csdl.ts';
import { fillStack, httpCall, type Call, type Filled } from '../../conformance/fill.ts';
import { checkAnswer, formatProblems, probe, type ProbeReport } from '../../conformance/probe.ts';
import { resolvePath } from '../../conformance/resolve-path.ts';
import { startTestStack } from '../../helpers/stack.ts';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const EXTENSIONS = README.slice(README.indexOf("### Graph conformance and Stint's extensions"), README.indexOf('### Directory search'));

describe('Graph v1.0 conformance', () => {
  let stack: LocalStack;
  let filled: Filled;
  let report: ProbeReport;
  let call: Call;
  const csdl = graphV1();

  beforeAll(async () => {
    stack = await startTestStack();
    call = httpCall(stack.url);
    filled = await fillStack(call, { runReviews: () => runDueReviews(stack.runtime.services) });
    report = await probe(call, filled, csdl, 'v1.0');
  });
  afterAll(() => stack?.stop());

  it('every value of every v1.0 answer matches the schema', () => {
    expect(report.problems.length, formatProblems(report.problems)).toBe(0);
    expect(report.checked.reduce((n, c) => n + c.values, 0)).toBeGreaterThan(5000);
  });

  it("answers every v1.0 GET route that Graph's schema has, with something in it", () => {
    const graphRoutes = ALL_ROUTES.filter((r) => r.method === 'GET' && r.path.startsWith('/v1.0/'))
      .map((r) => r.path)
      .filter((path) => resolvePath(csdl, path.slice('/v1.0'.length).replace("'{on}'", "'x'"), true).ok);
    const answered = new Set(report.checked.map((c) => c.route));
    expect(graphRoutes.filter((route) => !answered.has(route))).toEqual([]);
    expect(graphRoutes.length).toBeGreaterThan(60);
  });

  it('the answers to the writes (201 with the new object) match the schema too', () => {
    const problems = filled.writes.flatMap((w) => {
      const resolved = resolvePath(csdl, w.path.slice('/v1.0'.length));
      if (!resolved.ok || w.method !== 'POST' || !resolved.ref.collection) return [];
      return checkAnswer(csdl, { ...resolved.ref, collection: false }, w.body, new Set(), report.annotations).map(
        (p) => `${w.method} ${w.path} at ${p.path}: ${p.rule}`,
      );
    });
    expect(problems).toEqual([]);
    expect(filled.writes.filter((w) => w.method === 'POST').length).toBeGreaterThan(10);
  });

  it('activatedUsing is an object, present only under $expand=activatedUsing', async () => {
    const mine = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')";
    const plain = await call('GET', mine, filled.tokens.requester);
    expect(plain.body.value.length).toBeGreaterThan(0);
    for (const request of plain.body.value) expect(request).not.toHaveProperty('activatedUsing');
    const expanded = await call('GET', `${mine}?$expand=activatedUsing`, filled.tokens.requester);
    const activation = expanded.body.value.find((r: { action: string }) => r.action === 'selfActivate');
    expect(activation.activatedUsing).toMatchObject({ '@odata.type': '#microsoft.graph.unifiedRoleEligibilitySchedule', principalId: activation.principalId });
    const groups = "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=activatedUsing";
    const [instance] = (await call('GET', groups, filled.tokens.member)).body.value;
    expect(instance.activatedUsing).toMatchObject({ '@odata.type': '#microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance', accessId: 'owner' });
  });

  it("lists in the README every route and annotation Stint adds to Graph's v1.0", () => {
    const listed = [...EXTENSIONS.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const routes = listed.filter((l) => l.startsWith('/'));
    expect(report.extensionRoutes.filter((route) => !routes.some((l) => route.startsWith(l)))).toEqual([]);
    expect([...report.annotations].filter((a) => !listed.includes(a))).toEqual([]);
    expect(report.annotations.size).toBeGreaterThan(5);
  });
});
