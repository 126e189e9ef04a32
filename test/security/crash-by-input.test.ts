/**
 * Crash by input (issue 12, item 9): a `$filter` naming a property every JavaScript object inherits
 * (`constructor`, `__proto__`, `valueOf`, …) must never reach a plain-object lookup. Every list route
 * that takes `$filter` (read from the route contracts, so a new one is covered the day it is added)
 * answers 400 in Graph's error shape, naming the property — alone, and behind the filter a route requires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../../shared/contracts/routes/index.ts';
import { ManualClock } from '../../shared/domain/clock.ts';
import { runDueReviews } from '../../shared/services/access-reviews/run-due.ts';
import { newUser, ROLES, startRolesStack, type Ctx } from '../integration/roles/helpers.ts';

const PROPERTIES = ['constructor', '__proto__', 'valueOf', 'toString', 'hasOwnProperty'];
const DEFS = '/v1.0/identityGovernance/accessReviews/definitions';

type Shape = Record<string, { options?: readonly string[]; values?: Set<string>; value?: string }>;
const shapeOf = (schema: unknown): Shape => (schema as { shape?: Shape } | undefined)?.shape ?? {};

/** Every GET route whose query takes $filter, once per value its `on` parameter allows. */
function filterRoutes(): { id: string; path: string }[] {
  return ALL_ROUTES.filter((r) => r.method === 'GET' && '$filter' in shapeOf(r.query)).flatMap((r) => {
    const on = shapeOf(r.params).on;
    const values = on ? [...(on.options ?? on.values ?? [on.value!])] : [undefined];
    return values.map((value) => ({ id: value ? `${r.id}(${value})` : r.id, path: value ? r.path.replace('{on}', value) : r.path }));
  });
}

describe('$filter on inherited property names', () => {
  const clock = new ManualClock('2035-06-01T08:00:00.000Z');
  let ctx: Ctx;
  const ids: Record<string, string> = {};
  /** What a route insists on before anything else, so the property is read past it. */
  const required: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    const admin = await ctx.admin();
    const reviewer = await newUser(ctx, 'reviewer');
    const review = await ctx.api.call('POST', DEFS, {
      token: admin,
      body: {
        displayName: 'Filter review',
        scope: {
          '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
          principalScopes: [{ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/users', queryType: 'MicrosoftGraph' }],
          resourceScopes: [
            {
              '@odata.type': '#microsoft.graph.accessReviewQueryScope',
              query: `/roleManagement/directory/roleDefinitions/${ROLES.globalAdministrator}`,
              queryType: 'MicrosoftGraph',
            },
          ],
        },
        reviewers: [{ query: `/users/${reviewer.id}`, queryType: 'MicrosoftGraph' }],
        settings: {
          instanceDurationInDays: 3,
          recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: '2035-06-01' } },
        },
      },
    });
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    expect((await runDueReviews(ctx.stack.runtime.services)).failures).toEqual([]);
    ids.definition = review.body.id;
    ids.instance = (await ctx.api.call('GET', `${DEFS}/${review.body.id}/instances`, { token: admin })).body.value[0].id;
    const scope = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
    ids.policy = (await ctx.api.call('GET', `/v1.0/policies/roleManagementPolicies?$filter=${encodeURIComponent(scope)}`, { token: admin })).body.value[0].id;
    required['roleManagementPolicies.list'] = scope;
    required['roleManagementPolicyAssignments.list'] = scope;
    for (const id of [
      'eligibilityScheduleRequests',
      'assignmentScheduleRequests',
      'eligibilitySchedules',
      'eligibilityScheduleInstances',
      'assignmentSchedules',
      'assignmentScheduleInstances',
    ]) {
      required[`group.${id}.list`] = `principalId eq '${ctx.adminId}'`;
    }
  });
  afterAll(() => ctx.stop());

  const routes = filterRoutes();

  it('covers every list route that takes $filter', () => {
    expect(routes.length).toBeGreaterThanOrEqual(40);
  });

  it.each(routes)('$id answers 400 naming the property', async ({ id, path }) => {
    const url = path.replace('{id}', id.startsWith('roleManagementPolicies') ? ids.policy! : ids.definition!).replace('{instanceId}', ids.instance!);
    const filters = PROPERTIES.flatMap((p) => {
      const bare = `${p} eq 'x'`;
      const routeId = id.replace(/\(.*\)$/, '');
      return required[routeId] ? [bare, `${required[routeId]} and ${bare}`] : [bare];
    });
    const answers = await Promise.all(
      filters.map(async (filter) => ({
        filter,
        result: await ctx.api.call('GET', `${url}?$filter=${encodeURIComponent(filter)}`, { token: await ctx.admin() }),
      })),
    );
    const wrong = answers.filter(({ filter, result }) => {
      const error = result.body?.error;
      const property = filter.match(/(\w+) eq 'x'$/)![1]!;
      return (
        result.status !== 400 ||
        Object.keys(result.body ?? {}).join() !== 'error' ||
        typeof error.code !== 'string' ||
        !String(error.message).includes(property)
      );
    });
    expect(wrong.map(({ filter, result }) => `${filter} → ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`)).toEqual([]);
  });
});
