/**
 * The email-link landing pages on the local stack: served without a token, with a strict CSP, revealing
 * nothing and changing nothing on GET; and every call their script makes (the dev sign-in, reading the
 * request and the approval, the PATCH that decides) answers as the script expects.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_JS } from '../../../web/portal/app-script.ts';
import { approvalRuleFor } from '../workflow/support.ts';
import {
  activate,
  ASSIGNMENT_REQUESTS,
  customRole,
  ELIGIBILITY_REQUESTS,
  expectGraphError,
  filter,
  makeEligible,
  newUsers,
  patchRule,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../roles/helpers.ts';

const APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const PAGES = ['requests', 'approvals'] as const;
const UNKNOWN_ID = 'req_01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('email-link landing pages', () => {
  let ctx: Ctx;
  let requester: TestUser;
  let approver: TestUser;
  let roleName: string;
  let pending: { id: string; justification: string };
  let eligibilityId: string;

  beforeAll(async () => {
    ctx = await startRolesStack();
    [requester, approver] = (await newUsers(ctx, 2, 'portal')) as [TestUser, TestUser];
    const role = await customRole(ctx, 'Portal');
    roleName = (await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleDefinitions/${role}`, { token: await ctx.admin() })).body.displayName;
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleFor([{ userId: approver.id }]));
    eligibilityId = (await makeEligible(ctx, requester.id, role)).id;
    const activation = await activate(ctx, requester, role, { justification: 'Secret incident 4711' });
    expect(activation.body.status, JSON.stringify(activation.body)).toBe('PendingApproval');
    pending = activation.body;
  });
  afterAll(() => ctx.stop());

  const open = (path: string, init: RequestInit = {}) => fetch(`${ctx.stack.url}${path}`, { redirect: 'manual', ...init });

  function expectPageHeaders(response: Response) {
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  }

  describe.each(PAGES)('/portal/%s/{id}', (page) => {
    it('is an HTML page, open without a token, that names the request and nothing else about it', async () => {
      // Act
      const response = await open(`/portal/${page}/${pending.id}`);
      const html = await response.text();

      // Assess
      expect(response.status).toBe(200);
      expectPageHeaders(response);
      expect(html).toContain(`data-request-id="${pending.id}"`);
      expect(html).toContain(`data-page="${page}"`);
      for (const secret of [roleName, pending.justification, requester.displayName, requester.upn, approver.upn]) expect(html).not.toContain(secret);
    });

    it('has no inline script, handler or style, and every script and style sheet it loads is served', async () => {
      // Prepare
      const url = `${ctx.stack.url}/portal/${page}/${pending.id}`;
      const html = await (await fetch(url)).text();

      // Act
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
      const assets = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, url));
      const answers = await Promise.all(assets.map(async (a) => ({ path: a.pathname, status: (await fetch(a)).status })));

      // Assess
      expect(scripts.length).toBeGreaterThan(0);
      for (const attributes of scripts) expect(attributes).toMatch(/\bsrc="/);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/\sstyle\s*=|<style/i);
      expect(answers.map((a) => a.path).sort()).toEqual(['/portal/app.css', '/portal/app.js']);
      for (const answer of answers) expect(answer.status, answer.path).toBe(200);
    });

    it('answers the same page for an id that does not exist, so it reveals nothing', async () => {
      // Act
      const response = await open(`/portal/${page}/${UNKNOWN_ID}`);

      // Assess
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(UNKNOWN_ID);
    });

    it.each([
      'nope',
      'req_123',
      `req_${'a'.repeat(26)}`,
      `${UNKNOWN_ID}X`,
      `usr_${UNKNOWN_ID.slice(4)}`,
      '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      'req_01ARZ3NDEKTSV4RRFFQ69G5FA%22',
    ])('answers an HTML 400, not JSON and never a 500, for the id %s', async (id) => {
      // Act
      const response = await open(`/portal/${page}/${id}`);
      const html = await response.text();

      // Assess
      expect(response.status).toBe(400);
      expectPageHeaders(response);
      expect(html).toContain('does not name a request');
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<script');
    });

    it.each(['POST', 'PATCH', 'PUT', 'DELETE'])('is not a route for %s: only the exact GET is open', async (method) => {
      // Act
      const response = await open(`/portal/${page}/${pending.id}`, { method });

      // Assess
      expect(response.status).toBe(404);
    });

    it('opens nothing of the API below the page: at most the portal app, which holds no data', async () => {
      // Act
      const response = await open(`/portal/${page}/${pending.id}/steps`);

      // Assess
      const text = await response.text();
      expect(response.headers.get('content-type')).not.toMatch(/json/);
      expect(text).not.toContain(pending.id);
      expect(text).not.toContain(pending.justification);
    });
  });

  it('reads nothing from the table and changes nothing when the pages are opened', async () => {
    // Prepare
    const { db, tableName } = ctx.stack.runtime.services.table;
    const scan = async () => (await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const before = await scan();
    const send = vi.spyOn(db, 'send');

    // Act
    for (const page of PAGES) for (let i = 0; i < 3; i++) expect((await open(`/portal/${page}/${pending.id}`)).status).toBe(200);
    const calls = send.mock.calls.length;
    send.mockRestore();

    // Assess
    expect(calls).toBe(0);
    expect(await scan()).toEqual(before);
    const request = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${pending.id}`, { token: await ctx.admin() });
    expect(request.body.status).toBe('PendingApproval');
  });

  it('serves its script as JavaScript that compiles and never writes HTML', async () => {
    // Act
    const response = await open('/portal/app.js');
    const script = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(script).toBe(APP_JS);
    expect(() => new Script(script)).not.toThrow();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });

  describe('the calls the script makes', () => {
    it('finds the dev issuer through the discovery document and gets a token with MFA from it', async () => {
      // Act
      const discovery = await ctx.api.call('GET', '/.well-known/openid-configuration');
      const token = await ctx.api.call('POST', '/local/token', { body: { user: requester.upn, mfa: true } });

      // Assess
      expect(new URL(discovery.body.token_endpoint).pathname).toBe('/local/token');
      expect(APP_JS).toContain("call('GET', '.well-known/openid-configuration'");
      expect(APP_JS).toContain("call('POST', 'local/token', { user: user, mfa: true }");
      expect(token.status).toBe(200);
      expect(typeof token.body.access_token).toBe('string');
    });

    it("shows the requester their request, with the role and principal expanded, and the approval's step", async () => {
      // Prepare
      const token = await tokenOf(ctx, requester);

      // Act
      const request = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${pending.id}?$expand=principal,roleDefinition`, { token });
      const approval = await ctx.api.call('GET', `${APPROVALS}/${pending.id}`, { token });

      // Assess
      expect(request.status, JSON.stringify(request.body)).toBe(200);
      expect(request.body).toMatchObject({
        status: 'PendingApproval',
        justification: pending.justification,
        directoryScopeId: '/',
        roleDefinition: { displayName: roleName },
        principal: { displayName: requester.displayName },
      });
      expect(approval.status).toBe(200);
      expect(approval.body.steps).toEqual([expect.objectContaining({ status: 'InProgress', assignedToMe: false })]);
    });

    it('falls back to the eligibility requests for an eligibility request id', async () => {
      // Prepare
      const token = await ctx.admin();

      // Act
      const asAssignment = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${eligibilityId}`, { token });
      const asEligibility = await ctx.api.call('GET', `${ELIGIBILITY_REQUESTS}/${eligibilityId}?$expand=principal,roleDefinition`, { token });

      // Assess
      expect(asAssignment.status).toBe(404);
      expect(asEligibility.status).toBe(200);
      expect(asEligibility.body.roleDefinition.displayName).toBe(roleName);
    });

    it("shows an approver the request among the ones they approve, with the role's and principal's names", async () => {
      // Prepare
      const token = await tokenOf(ctx, approver);

      // Act
      const mine = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')?${filter(`id eq '${pending.id}'`)}`, { token });
      const role = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleDefinitions/${mine.body.value[0]?.roleDefinitionId}`, { token });
      const principal = await ctx.api.call('GET', `/v1.0/users/${requester.id}`, { token });

      // Assess
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
      expect(mine.body.value.map((r: { id: string }) => r.id)).toEqual([pending.id]);
      expect(role.body.displayName).toBe(roleName);
      expect(principal.body.displayName).toBe(requester.displayName);
    });

    it("lets the approver decide with the step's PATCH, and shows Graph's 409 when it is decided already", async () => {
      // Prepare
      const token = await tokenOf(ctx, approver);
      const approval = await ctx.api.call('GET', `${APPROVALS}/${pending.id}`, { token });
      const step = approval.body.steps.find((s: { assignedToMe: boolean }) => s.assignedToMe);
      const decide = () =>
        ctx.api.call('PATCH', `${APPROVALS}/${pending.id}/steps/${step.id}`, { token, body: { reviewResult: 'Approve', justification: 'Looks right' } });

      // Act
      const first = await decide();
      const second = await decide();
      const after = await ctx.api.call('GET', `${APPROVALS}/${pending.id}`, { token });

      // Assess
      expect(step).toBeDefined();
      expect(first.status, JSON.stringify(first.body)).toBe(204);
      expect(expectGraphError(second, 409, 'Approval_AlreadyDecided').message.length).toBeGreaterThan(0);
      expect(after.body.steps[0]).toMatchObject({
        reviewResult: 'Approved',
        justification: 'Looks right',
        assignedToMe: false,
        reviewedBy: [{ id: approver.id }],
      });
    });

    it('needs the token for every one of them: the page is public, the data is not', async () => {
      // Act
      const results = await Promise.all([`${ASSIGNMENT_REQUESTS}/${pending.id}`, `${APPROVALS}/${pending.id}`].map((path) => ctx.api.call('GET', path)));

      // Assess
      for (const result of results) expect(result.status).toBe(401);
    });
  });
});
