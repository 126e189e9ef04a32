/**
 * Email links land in the portal: /portal/requests/{id}, /portal/approvals/{id} and
 * /portal/reviews/{definitionId}/{instanceId} answer the app itself (SPA routing), with the portal's
 * security headers and a strict CSP, holding nothing of the request; opening them reads and changes
 * nothing (mail scanners follow links). Acting is the app's signed-in click, through the API.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensurePortalBuilt } from '../../../infra/local/portal-site.ts';
import { approvalRuleFor } from '../workflow/support.ts';
import { activate, ASSIGNMENT_REQUESTS, customRole, makeEligible, newUsers, patchRule, startRolesStack, type Ctx, type TestUser } from '../roles/helpers.ts';

describe('email links', () => {
  let ctx: Ctx;
  let requester: TestUser;
  let approver: TestUser;
  let roleName: string;
  let pending: { id: string; justification: string };
  let links: string[];

  beforeAll(async () => {
    await ensurePortalBuilt();
    ctx = await startRolesStack();
    [requester, approver] = (await newUsers(ctx, 2, 'links')) as [TestUser, TestUser];
    const role = await customRole(ctx, 'Links');
    roleName = (await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleDefinitions/${role}`, { token: await ctx.admin() })).body.displayName;
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleFor([{ userId: approver.id }]));
    await makeEligible(ctx, requester.id, role);
    const activation = await activate(ctx, requester, role, { justification: 'Secret incident 4711' });
    expect(activation.body.status, JSON.stringify(activation.body)).toBe('PendingApproval');
    pending = activation.body;
    links = [
      `/portal/requests/${pending.id}`,
      `/portal/approvals/${pending.id}`,
      '/portal/reviews/arv_01ARZ3NDEKTSV4RRFFQ69G5FAV/ari_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    ];
  }, 120_000);
  afterAll(() => ctx?.stop());

  const open = (path: string) => fetch(`${ctx.stack.url}${path}`, { redirect: 'manual' });

  it.each([0, 1, 2])('serves the portal app for email link %i, with strict security headers and no data from the request', async (i) => {
    // Act
    const response = await open(links[i]!);
    const html = await response.text();
    const app = await (await open('/portal/')).text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toBe(app);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    for (const secret of [pending.id, pending.justification, roleName, requester.displayName, requester.upn, approver.upn]) expect(html).not.toContain(secret);
    expect(html).not.toMatch(/<script\b(?![^>]*\bsrc=)/);
  });

  it('reads nothing from the table and changes nothing when the links are opened', async () => {
    // Prepare
    const { db, tableName } = ctx.stack.runtime.services.table;
    const scan = async () => (await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const before = await scan();
    const send = vi.spyOn(db, 'send');

    // Act
    for (const link of links) for (let i = 0; i < 3; i++) expect((await open(link)).status).toBe(200);
    const calls = send.mock.calls.length;
    send.mockRestore();

    // Assess
    expect(calls).toBe(0);
    expect(await scan()).toEqual(before);
    const request = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${pending.id}`, { token: await ctx.admin() });
    expect(request.body.status).toBe('PendingApproval');
  });

  it('answers nothing but the app below /portal: no API operation lives there', async () => {
    // Act
    const post = await fetch(`${ctx.stack.url}/portal/approvals/${pending.id}`, { method: 'POST' });
    const below = await open(`/portal/approvals/${pending.id}/steps`);

    // Assess
    expect(post.status).toBe(404);
    expect(below.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await below.text()).not.toContain(pending.justification);
  });
});
