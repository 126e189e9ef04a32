/**
 * The deployed portal's SPA routing (a CloudFront Function), run here as CloudFront would: page URLs get
 * the app, files keep their path (a missing asset stays an error), the root goes to the app's base path.
 */
import { describe, expect, it } from 'vitest';
import { PORTAL_ROUTING_FUNCTION } from '../../infra/constructs/portal-routing.ts';

type Result = { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
const handler = new Function(`${PORTAL_ROUTING_FUNCTION}; return handler;`)() as (event: unknown) => Result;
const viewerRequest = (uri: string) => handler({ request: { uri, method: 'GET', querystring: {}, headers: {} } });

describe('the portal routing function', () => {
  it.each(['/portal/', '/portal/my-roles', '/portal/requests/req_01J', '/portal/callback', '/portal/users/ada.lovelace@example.com', '/portal/reviews/a/b'])(
    'answers the page %s with the app',
    (uri) => {
      expect(viewerRequest(uri).uri).toBe('/portal/index.html');
    },
  );

  it.each(['/portal/assets/index-dCfeBL0u.js', '/portal/assets/missing.css', '/portal/assets/no-extension', '/portal/config.json', '/portal/index.html'])(
    'leaves the file %s as it is',
    (uri) => {
      expect(viewerRequest(uri).uri).toBe(uri);
    },
  );

  it('sends the site root and /portal to /portal/', () => {
    for (const uri of ['/', '/portal']) expect(viewerRequest(uri)).toMatchObject({ statusCode: 302, headers: { location: { value: '/portal/' } } });
  });

  it('leaves paths outside the portal to the bucket (which has nothing there)', () => {
    expect(viewerRequest('/other/page').uri).toBe('/other/page');
  });
});
