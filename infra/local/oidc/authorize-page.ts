/**
 * The dev issuer's pages: the sign-in page (pick a person from the directory, say whether MFA was used),
 * a refusal page, and the signed-out page. Server-rendered without any script; the one stylesheet is inline
 * and allowed by its hash, so the CSP can forbid everything else.
 */
import { createHash } from 'node:crypto';

export interface PersonChoice {
  id: string;
  displayName: string;
  userPrincipalName: string;
  accountEnabled: boolean;
}

export interface SignInPageModel {
  /** The path both forms go to (the authorization endpoint). */
  action: string;
  /** The pending authorization request the sign-in completes. */
  requestId: string;
  /** The authorization request's own query, kept by the search form. */
  query: URLSearchParams;
  people: PersonChoice[];
  search: string;
  /** More people exist than are listed. */
  more: boolean;
  error?: string;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#16191f;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e9ebed;background:#0f1b2a}a{color:#89bdff}}
ul{list-style:none;padding:0}li{margin:.25rem 0}
button{font:inherit;padding:.4rem .8rem;text-align:left;width:100%;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #0972d3;outline-offset:2px}
.upn{display:block;font-size:.875rem;opacity:.8}.alert{border:2px solid #d91515;padding:.5rem}
fieldset{margin:1rem 0}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** No script at all; forms may go only here and to the client (the sign-in redirects there). */
export function pageHeaders(formTargets: string[] = []): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action ${["'self'", ...formTargets].join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not no-referrer: under it a browser sends `Origin: null` with the page's own form post, which the
    // local stack refuses as an opaque origin (local-origin.ts).
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function personItem(person: PersonChoice): string {
  const label = `${escapeHtml(person.displayName)}<span class="upn">${escapeHtml(person.userPrincipalName)}${person.accountEnabled ? '' : ' (account disabled)'}</span>`;
  return `<li><button type="submit" name="user" value="${escapeHtml(person.id)}"${person.accountEnabled ? '' : ' disabled'}>${label}</button></li>`;
}

export function signInPage(model: SignInPageModel): string {
  const kept = [...model.query.entries()]
    .filter(([name]) => name !== 'q')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const listed = model.people.length
    ? `<ul>\n${model.people.map(personItem).join('\n')}\n</ul>`
    : `<p>No one in the directory matches${model.search ? ` “${escapeHtml(model.search)}”` : ''}.</p>`;
  const more = model.more ? `<p>Only the first ${model.people.length} people are listed; search to find others.</p>` : '';
  return page(
    'Sign in to Stint (local)',
    `<h1>Sign in to Stint (local)</h1>
<p>This is the local stack's stand-in identity provider: choose a person from the directory. No password is asked.</p>
${model.error ? `<div class="alert" role="alert"><p>${escapeHtml(model.error)}</p></div>` : ''}
<form method="get" action="${escapeHtml(model.action)}" role="search">
${kept}
<label for="q">Find a person by name or user principal name</label>
<input type="search" id="q" name="q" value="${escapeHtml(model.search)}">
<button type="submit">Search</button>
</form>
<form method="post" action="${escapeHtml(model.action)}">
<input type="hidden" name="request" value="${escapeHtml(model.requestId)}">
<fieldset>
<legend>Authentication</legend>
<input type="checkbox" id="mfa" name="mfa" value="yes">
<label for="mfa">I used MFA</label>
</fieldset>
<h2 id="people">Sign in as</h2>
<div role="group" aria-labelledby="people">
${listed}
</div>
${more}
</form>`,
  );
}

export function refusalPage(message: string): string {
  return page('Sign-in request refused', `<h1>Sign-in request refused</h1>\n<p>${escapeHtml(message)}</p>`);
}

export function signedOutPage(): string {
  return page(
    'Signed out of Stint (local)',
    '<h1>Signed out of Stint (local)</h1>\n<p>You are signed out of the local identity provider. You can close this tab.</p>',
  );
}
