/**
 * The HTML of the landing pages. The server knows only the id in the link (checked, and escaped anyway);
 * everything about the request is fetched by /portal/app.js with the signed-in user's token, so an
 * anonymous visitor, or a mail scanner, learns nothing and changes nothing.
 */
export type LandingPage = 'requests' | 'approvals';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

// Relative URLs: the page is /portal/<page>/<id> wherever the API is mounted, the assets /portal/app.*.
const head = (title: string, withScript: boolean) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Stint</title>
<link rel="stylesheet" href="../app.css">
${withScript ? '<script src="../app.js" defer></script>\n' : ''}</head>`;

export function renderLandingPage(page: LandingPage, requestId: string): string {
  const id = escapeHtml(requestId);
  const title = page === 'approvals' ? 'Approval' : 'Request';
  return `${head(`${title} ${requestId}`, true)}
<body data-page="${page}" data-request-id="${id}">
<main>
<h1>${title} <code>${id}</code></h1>
<p id="status" role="status" aria-live="polite">Loading…</p>

<section id="signin" hidden>
<h2>Sign in</h2>
<p>Sign in to see this ${page === 'approvals' ? 'approval' : 'request'}. Paste an access token for the Stint API (it stays in this browser tab only).</p>
<label for="token-input">Access token</label>
<textarea id="token-input" rows="4" autocomplete="off" spellcheck="false"></textarea>
<button type="button" id="use-token">Sign in with this token</button>
<div id="dev-signin" hidden>
<h3>Local stack</h3>
<p>This API runs with the local dev issuer: get a token (with MFA) for a user of the directory.</p>
<label for="dev-upn">User principal name</label>
<input id="dev-upn" type="email" autocomplete="off" placeholder="admin@contoso.test">
<button type="button" id="dev-token">Get a token from the dev issuer</button>
</div>
</section>

<section id="signed-in" hidden>
<p>Signed in. <button type="button" id="sign-out">Sign out</button> <button type="button" id="reload">Refresh</button></p>
</section>

<section id="details" hidden>
<h2>Request</h2>
<dl id="request"></dl>
</section>

<section id="approval" hidden>
<h2>Approval</h2>
<ol id="steps"></ol>
</section>

<section id="decide" hidden>
<h2>Your decision</h2>
<label for="decide-justification">Justification</label>
<textarea id="decide-justification" rows="3" maxlength="500"></textarea>
<button type="button" id="approve">Approve</button>
<button type="button" id="deny">Deny</button>
</section>
</main>
</body>
</html>
`;
}

/** A link whose id is not a request id: said plainly, without echoing what was sent. */
export function renderBadLink(): string {
  return `${head('Not a request link', false)}
<body>
<main>
<h1>This link does not name a request</h1>
<p>Stint links end with a request id: <code>req_</code> followed by 26 letters and digits. Check that the whole link was copied from the email.</p>
</main>
</body>
</html>
`;
}
