/**
 * Usage evidence is honest (issue 12, item 8): access reviews recommend keeping active access that was
 * used, and "used" means an enforcing application asked about the holder. A principal asking the
 * decision API about itself, or an administrator asking about it, proves nothing and must not count.
 * And the decision API authorizes the caller before it reads anything of the subject asked about.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../shared/domain/clock.ts';
import { runDueReviews } from '../../shared/services/access-reviews/run-due.ts';
import {
  customRole,
  DAY,
  expectGraphError,
  HOUR,
  makeActive,
  newUser,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';

const DEFS = '/v1.0/identityGovernance/accessReviews/definitions';
const PASSWORD = 'microsoft.directory/users/password/update';

describe('usage evidence for access reviews', () => {
  const clock = new ManualClock('2035-02-01T08:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  const ask = async (token: string, subjectId: string) =>
    ctx.api.call('POST', '/access/v1/evaluation', {
      token,
      body: { subject: { type: 'user', id: subjectId }, action: { name: PASSWORD }, resource: { type: 'scope', id: '/' } },
    });

  /** A registered application allowed to ask about others (Global Reader); its appId, to get tokens with. */
  async function enforcingApp(): Promise<string> {
    const appId = `gateway-${Date.now()}`;
    const created = await ctx.api.call('POST', '/v1.0/servicePrincipals', {
      token: await ctx.admin(),
      body: { appId, displayName: 'Enforcing gateway', servicePrincipalType: 'Application' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await makeActive(ctx, created.body.id, ROLES.globalReader);
    return appId;
  }

  /** Starts a review of the role's holders now and returns each holder's recommendation, by user id. */
  async function recommendations(roleId: string, reviewer: TestUser): Promise<Map<string, { recommendation: string; '@stint.recommendationReason': string }>> {
    const body = {
      displayName: 'Who still uses it?',
      scope: {
        '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
        principalScopes: [{ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/users', queryType: 'MicrosoftGraph' }],
        resourceScopes: [
          {
            '@odata.type': '#microsoft.graph.accessReviewQueryScope',
            query: `/roleManagement/directory/roleDefinitions/${roleId}`,
            queryType: 'MicrosoftGraph',
          },
        ],
      },
      reviewers: [{ query: `/users/${reviewer.id}`, queryType: 'MicrosoftGraph' }],
      settings: {
        instanceDurationInDays: 3,
        recommendationsEnabled: true,
        recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: clock.now().toISOString().slice(0, 10) } },
      },
    };
    const created = await ctx.api.call('POST', DEFS, { token: await ctx.admin(), body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await runDueReviews(ctx.stack.runtime.services)).failures).toEqual([]);
    const instances = await ctx.api.call('GET', `${DEFS}/${created.body.id}/instances`, { token: await ctx.admin() });
    const decisions = await ctx.api.call('GET', `${DEFS}/${created.body.id}/instances/${instances.body.value[0].id}/decisions`, { token: await ctx.admin() });
    return new Map(decisions.body.value.map((d: any) => [d.principal.id, d]));
  }

  it('asking about oneself (and an admin asking about one) is not use: the review still recommends Deny; an enforcing app asking is', async () => {
    const role = await customRole(ctx, 'Evidence');
    const [gamer, worker, reviewer] = [await newUser(ctx, 'gamer'), await newUser(ctx, 'worker'), await newUser(ctx, 'reviewer')];
    await makeActive(ctx, gamer.id, role);
    await makeActive(ctx, worker.id, role);
    clock.advance(40 * DAY);
    const app = await enforcingApp();

    for (let hour = 0; hour < 3; hour++) {
      expect((await ask(await tokenOf(ctx, gamer), gamer.id)).body.decision).toBe(true);
      expect((await ask(await ctx.admin(), gamer.id)).body.decision).toBe(true);
      clock.advance(HOUR);
    }
    expect((await ask(await ctx.api.servicePrincipalToken(app), worker.id)).body.decision).toBe(true);
    clock.advance(HOUR);

    const recommended = await recommendations(role, reviewer);
    expect(recommended.get(gamer.id)).toMatchObject({ recommendation: 'Deny' });
    expect(recommended.get(gamer.id)!['@stint.recommendationReason']).not.toMatch(/Used in an access decision/);
    expect(recommended.get(worker.id)).toMatchObject({ recommendation: 'Approve' });
    expect(recommended.get(worker.id)!['@stint.recommendationReason']).toMatch(/Used in an access decision/);
  });

  it('a caller not allowed to ask about others is refused before anything of the subject is read', async () => {
    const [asker, subject] = [await newUser(ctx, 'asker'), await newUser(ctx, 'subject')];
    await makeActive(ctx, subject.id, ROLES.helpdeskAdministrator);
    const token = await tokenOf(ctx, asker);
    const db = ctx.stack.runtime.services.table.db;
    const send = vi.spyOn(db, 'send');
    try {
      const refused = expectGraphError(await ask(token, subject.id), 403, 'Authorization_RequestDenied');
      expect(refused.message).toMatch(/Global Reader/);
      const touched = send.mock.calls.filter(([command]) => JSON.stringify((command as { input?: unknown }).input ?? {}).includes(subject.id));
      expect(touched.map(([command]) => command.constructor.name)).toEqual([]);
    } finally {
      send.mockRestore();
    }
    // The refusal is the same whether or not the subject exists.
    const ghost = expectGraphError(await ask(token, 'usr_00000000000000000000000000'), 403, 'Authorization_RequestDenied');
    expect(ghost.message).toBe(expectGraphError(await ask(token, subject.id), 403, 'Authorization_RequestDenied').message);
  });
});
