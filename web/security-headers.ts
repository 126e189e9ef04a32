/**
 * The portal's security headers, one definition for the local server and CloudFront's response headers
 * policy. Script only from the portal's own origin; the page talks only to the API and the sign-in
 * issuer; nothing may frame it. Cloudscape sets inline style attributes, so those (and only those) are
 * allowed.
 */
export function portalContentSecurityPolicy(connect: string[]): string {
  const sources = [...new Set(["'self'", ...connect.map(originOf).filter(Boolean)])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${sources}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

export function portalSecurityHeaders(connect: string[]): Record<string, string> {
  return {
    'content-security-policy': portalContentSecurityPolicy(connect),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
  };
}
