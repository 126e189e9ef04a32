/**
 * The landing pages' pieces without a stack: escaping, the CSP, the script's hygiene, which links are
 * request ids, and the exact public route keys the gateways open for them.
 */
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isIdOf } from '../../../shared/domain/ids.ts';
import { gatewayRoutes, routeFor, routeKeyFor } from '../../../shared/http/gateway-routes.ts';
import { APP_JS } from '../../../web/portal/app-script.ts';
import { CONTENT_SECURITY_POLICY, pageHeaders } from '../../../web/portal/headers.ts';
import { escapeHtml, renderBadLink, renderLandingPage, renderReviewPage } from '../../../web/portal/page.ts';

const ID = 'req_01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('renderLandingPage', () => {
  it('escapes what it embeds, even though the id was checked', () => {
    // Act
    const html = renderLandingPage('approvals', '"><script>alert(1)</script>');

    // Assess
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('loads one script, by relative URL, and has no inline script or handler', () => {
    // Act
    const html = renderLandingPage('requests', ID);

    // Assess
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script src="../app.js" defer>']);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).toContain(`data-request-id="${ID}"`);
  });

  it('gives a bad link no script at all', () => {
    // Assess
    expect(renderBadLink()).not.toContain('<script');
  });

  it.each([
    ['<a href="x">&\'', '&lt;a href=&quot;x&quot;&gt;&amp;&#39;'],
    ['plain', 'plain'],
  ])('escapes %s', (input, expected) => {
    // Assess
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('renderReviewPage', () => {
  it('loads the same script and styles two levels up, escapes the ids, and has no inline script or handler', () => {
    // Act
    const html = renderReviewPage('arv_1"><b>', 'ari_2');

    // Assess
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script src="../../app.js" defer>']);
    expect(html).toContain('href="../../app.css"');
    expect(html).toContain('data-definition-id="arv_1&quot;&gt;&lt;b&gt;"');
    expect(html).toContain('data-page="reviews"');
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('a bad review link says what a review link looks like, with no script', () => {
    expect(renderBadLink('review')).toContain('an access review');
    expect(renderBadLink('review')).not.toContain('<script');
  });
});

describe('the page headers', () => {
  it('allow script from this origin only, no framing, no referrer, no storing', () => {
    // Act
    const headers = pageHeaders();

    // Assess
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|\*/);
    expect(headers).toMatchObject({
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-type': 'text/html; charset=utf-8',
    });
  });
});

describe('APP_JS', () => {
  it('compiles, and writes data to the DOM only as text', () => {
    // Assess
    expect(() => new Script(APP_JS)).not.toThrow();
    expect(APP_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\('/);
    expect(APP_JS).toContain('textContent');
  });

  it('decides only with a PATCH, never by following a link', () => {
    // Act
    const methods = [...APP_JS.matchAll(/call\('([A-Z]+)'/g)].map((m) => m[1]);

    // Assess
    expect(new Set(methods)).toEqual(new Set(['GET', 'POST', 'PATCH']));
    expect(APP_JS).toMatch(/call\('PATCH', APPROVALS \+ enc\(requestId\) \+ '\/steps\/'/);
    expect(APP_JS).toMatch(/call\('PATCH', reviewPath\(\) \+ '\/decisions\/' \+ enc\(id\)/);
    expect(APP_JS).toContain("call('POST', 'local/token'");
  });
});

describe('isIdOf', () => {
  it.each([
    [ID, true],
    ['req_01arz3ndektsv4rrffq69g5fav', false],
    ['req_01ARZ3NDEKTSV4RRFFQ69G5FA', false],
    ['usr_01ARZ3NDEKTSV4RRFFQ69G5FAV', false],
    ['req_01ARZ3NDEKTSV4RRFFQ69G5FAI', false],
  ])('says %s is a request id: %s', (id, expected) => {
    // Assess
    expect(isIdOf('request', id)).toBe(expected);
  });
});

describe('routeKeyFor on the landing pages', () => {
  const routes = gatewayRoutes();

  it.each([
    ['GET', `/portal/requests/${ID}`, 'GET /portal/requests/{id}'],
    ['GET', `/portal/approvals/${ID}`, 'GET /portal/approvals/{id}'],
    ['GET', '/portal/app.js', 'GET /portal/app.js'],
    ['GET', '/portal/reviews/arv_1/ari_2', 'GET /portal/reviews/{definitionId}/{instanceId}'],
    ['POST', '/portal/reviews/arv_1/ari_2', undefined],
    ['POST', `/portal/requests/${ID}`, undefined],
    ['GET', `/portal/requests/${ID}/steps`, undefined],
    ['GET', '/portal/requests', undefined],
  ])('matches %s %s to %s', (method, path, expected) => {
    // Act
    const route = routeFor(routes, path);

    // Assess
    expect(route?.public).toBe(true);
    expect(routeKeyFor(route!, method, path)).toBe(expected);
  });

  it('matches any method and anything below a protected prefix', () => {
    // Act
    const route = routeFor(routes, '/v1.0/users/abc/memberOf')!;

    // Assess
    expect(routeKeyFor(route, 'DELETE', '/v1.0/users/abc/memberOf')).toBe('ANY /v1.0/users/{proxy+}');
    expect(routeKeyFor(route, 'GET', '/v1.0/users')).toBe('ANY /v1.0/users');
  });
});
