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

// Relative URLs: the page is /portal/<page>/<id> (a review's: /portal/reviews/<id>/<id>) wherever the
// API is mounted, the assets /portal/app.*.
const head = (title: string, withScript: boolean, up = '../') => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Stint</title>
<link rel="stylesheet" href="${up}app.css">
${withScript ? `<script src="${up}app.js" defer></script>\n` : ''}</head>`;

const SIGN_IN = (what: string) => `<section id="signin" hidden>
<h2>Sign in</h2>
<p>Sign in to see this ${what}. Paste an access token for the Stint API (it stays in this browser tab only).</p>
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
</section>`;

/** A reviewer's page of one access review instance: the items they decide, each with its recommendation. */
export function renderReviewPage(definitionId: string, instanceId: string): string {
  return `${head('Access review', true, '../../')}
<body data-page="reviews" data-definition-id="${escapeHtml(definitionId)}" data-instance-id="${escapeHtml(instanceId)}">
<main>
<h1>Access review</h1>
<p id="status" role="status" aria-live="polite">Loading…</p>

${SIGN_IN('access review')}

<section id="review" hidden>
<h2 id="review-name"></h2>
<p id="review-description"></p>
<dl id="review-facts"></dl>
<label for="review-justification">Justification (for the decisions you record next)</label>
<textarea id="review-justification" rows="2" maxlength="500"></textarea>
<button type="button" id="accept-recommendations">Accept the recommendations for what I have not decided</button>
<ol id="items"></ol>
</section>
</main>
</body>
</html>
`;
}

export function renderLandingPage(page: LandingPage, requestId: string): string {
  const id = escapeHtml(requestId);
  const title = page === 'approvals' ? 'Approval' : 'Request';
  return `${head(`${title} ${requestId}`, true)}
<body data-page="${page}" data-request-id="${id}">
<main>
<h1>${title} <code>${id}</code></h1>
<p id="status" role="status" aria-live="polite">Loading…</p>

${SIGN_IN(page === 'approvals' ? 'approval' : 'request')}

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

/** A link whose id is not a request (or review) id: said plainly, without echoing what was sent. */
export function renderBadLink(what: 'request' | 'review' = 'request'): string {
  const expected =
    what === 'request' ? 'a request id: <code>req_</code> followed by 26 letters and digits' : 'a review id and an instance id: <code>arv_…/ari_…</code>';
  return `${head(`Not a ${what} link`, false, what === 'review' ? '../../' : '../')}
<body>
<main>
<h1>This link does not name ${what === 'request' ? 'a request' : 'an access review'}</h1>
<p>Stint links end with ${expected}. Check that the whole link was copied from the email.</p>
</main>
</body>
</html>
`;
}
