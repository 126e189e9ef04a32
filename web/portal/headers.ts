/**
 * The headers of every landing-page answer. The CSP allows script only from this origin's /portal/app.js
 * (no inline script, so no inline event handlers either), requires Trusted Types so no HTML string can
 * reach the DOM, and lets the page talk only to this origin (the API and, locally, the dev issuer).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  // The URL names a request; no other site needs to learn it.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

/** A page: never stored, by the browser or anything between, since it belongs to a signed-in session. */
export function pageHeaders(): Record<string, string> {
  return { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
}

/** The script and the style sheet: revalidated on every use, so a deploy is never half-seen. */
export function assetHeaders(contentType: 'text/javascript' | 'text/css'): Record<string, string> {
  return { ...SECURITY_HEADERS, 'content-type': `${contentType}; charset=utf-8`, 'cache-control': 'no-cache' };
}
