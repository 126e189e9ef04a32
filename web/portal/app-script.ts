/**
 * The landing pages' script, served from /portal/app.js. Plain browser JavaScript, kept in a string so
 * the Lambda bundle needs no file assets (no backticks or dollar-brace inside, as it is a template).
 *
 * It never builds HTML from data: every value goes into the DOM through textContent. The token is kept
 * in sessionStorage (this tab only). Reading is GET with the token; deciding is a PATCH the user clicks.
 */
export const APP_JS = String.raw`'use strict';
(function () {
  const TOKEN_KEY = 'stint.accessToken';
  const page = document.body.dataset.page;
  const requestId = document.body.dataset.requestId;
  // The page is <api>/portal/<page>/<id> (a review's: <api>/portal/reviews/<id>/<id>): the API root is
  // that many levels up, on this origin.
  const apiRoot = new URL(page === 'reviews' ? '../../../' : '../../', location.href);
  const REVIEWS = 'v1.0/identityGovernance/accessReviews/definitions/';
  const ROLES = 'v1.0/roleManagement/directory/';
  const APPROVALS = 'beta/roleManagement/directory/roleAssignmentApprovals/';
  const el = (id) => document.getElementById(id);
  const show = (id, visible) => { el(id).hidden = !visible; };

  const token = () => sessionStorage.getItem(TOKEN_KEY);

  function setStatus(text, isError) {
    el('status').textContent = text;
    el('status').className = isError ? 'error' : '';
  }

  /** A Graph error as the user should read it: its code and message. */
  function errorText(result) {
    const error = result.body && result.body.error;
    if (error && error.message) return error.code + ': ' + error.message;
    return 'The API answered ' + result.status + '.';
  }

  async function call(method, path, body, anonymous) {
    const headers = { accept: 'application/json' };
    if (!anonymous) headers.authorization = 'Bearer ' + token();
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, apiRoot), {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
    const text = await response.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
    return { status: response.status, body: parsed };
  }

  /** Graph ids and $filter literals: the id was checked by the server, encoded anyway. */
  const enc = encodeURIComponent;

  function signedOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    ['signed-in', 'details', 'approval', 'decide', 'review'].forEach((id) => { if (el(id)) show(id, false); });
    show('signin', true);
    setStatus(message || 'Sign in to continue.', !!message);
  }

  function signIn(value) {
    const raw = (value || '').trim().replace(/^Bearer\s+/i, '');
    if (!raw) return setStatus('Paste an access token first.', true);
    sessionStorage.setItem(TOKEN_KEY, raw);
    el('token-input').value = '';
    return load();
  }

  /**
   * The local stack publishes its dev issuer's discovery document on this origin; AWS has no such route,
   * so the dev sign-in is offered only where the dev issuer really answers.
   */
  async function offerDevSignIn() {
    try {
      const result = await call('GET', '.well-known/openid-configuration', undefined, true);
      const endpoint = result.status === 200 && result.body && result.body.token_endpoint;
      if (typeof endpoint === 'string' && new URL(endpoint).pathname === '/local/token') show('dev-signin', true);
    } catch (e) { /* no dev issuer here */ }
  }

  async function devSignIn() {
    const user = el('dev-upn').value.trim() || el('dev-upn').placeholder;
    const result = await call('POST', 'local/token', { user: user, mfa: true }, true);
    if (result.status !== 200 || !result.body || !result.body.access_token) return setStatus(errorText(result), true);
    return signIn(result.body.access_token);
  }

  /**
   * The request: an activation or assignment, else an eligibility request. An approver who may not read
   * every request finds it among the requests they approve.
   */
  async function loadRequest() {
    const expand = '?$expand=principal,roleDefinition';
    for (const collection of ['roleAssignmentScheduleRequests', 'roleEligibilityScheduleRequests']) {
      const result = await call('GET', ROLES + collection + '/' + enc(requestId) + expand);
      if (result.status !== 404) return result;
    }
    const mine = await call('GET', ROLES + "roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')?$filter=" + enc("id eq '" + requestId + "'"));
    if (mine.status === 200 && mine.body.value.length === 1) return { status: 200, body: mine.body.value[0] };
    return mine.status === 200 ? { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'No request ' + requestId + ' that you can see.' } } } : mine;
  }

  /** A name for an id the request did not expand (approvers' view); the id itself if it cannot be read. */
  async function nameOf(path, fallback) {
    const result = await call('GET', path);
    return result.status === 200 && result.body.displayName ? result.body.displayName : fallback;
  }

  const when = (iso) => (iso ? new Date(iso).toLocaleString() + ' (' + iso + ')' : '—');

  function addRow(list, label, value) {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = label;
    dd.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    list.append(dt, dd);
  }

  async function renderRequest(r) {
    const role = r.roleDefinition ? r.roleDefinition.displayName : await nameOf(ROLES + 'roleDefinitions/' + enc(r.roleDefinitionId), r.roleDefinitionId);
    const principal = r.principal ? r.principal.displayName + (r.principal.userPrincipalName ? ' (' + r.principal.userPrincipalName + ')' : '') : await nameOf('v1.0/users/' + enc(r.principalId), r.principalId);
    const info = r.scheduleInfo || {};
    const expiration = info.expiration || {};
    const list = el('request');
    list.replaceChildren();
    addRow(list, 'Role', role);
    addRow(list, 'Principal', principal);
    addRow(list, 'Scope', r.directoryScopeId);
    addRow(list, 'Action', r.action);
    addRow(list, 'Status', r.status);
    addRow(list, 'Justification', r.justification);
    if (r.ticketInfo && r.ticketInfo.ticketNumber) addRow(list, 'Ticket', r.ticketInfo.ticketNumber + (r.ticketInfo.ticketSystem ? ' (' + r.ticketInfo.ticketSystem + ')' : ''));
    addRow(list, 'Requested by', r.createdBy && r.createdBy.user ? r.createdBy.user.displayName || r.createdBy.user.id : null);
    addRow(list, 'Requested', when(r.createdDateTime));
    addRow(list, 'Starts', info.startDateTime ? when(info.startDateTime) : 'When approved or at once');
    addRow(list, 'Ends', expiration.endDateTime ? when(expiration.endDateTime) : expiration.duration ? 'After ' + expiration.duration : expiration.type === 'noExpiration' ? 'Never' : null);
    addRow(list, 'Completed', when(r.completedDateTime));
    show('details', true);
  }

  function renderApproval(approval) {
    const steps = el('steps');
    steps.replaceChildren();
    let mine = null;
    approval.steps.forEach((step, i) => {
      const item = document.createElement('li');
      const list = document.createElement('dl');
      addRow(list, 'Stage', step.displayName || 'Stage ' + (i + 1));
      addRow(list, 'Status', step.status);
      addRow(list, 'Result', step.reviewResult);
      addRow(list, 'Decided by', step.reviewedBy ? step.reviewedBy.map((p) => p.displayName || p.id).join(', ') : null);
      addRow(list, 'Decided', when(step.reviewedDateTime));
      addRow(list, 'Why', step.justification);
      item.append(list);
      steps.append(item);
      if (step.assignedToMe) mine = step;
    });
    show('approval', true);
    // Only the approvals page decides, and only a step that waits for this user.
    show('decide', page === 'approvals' && mine !== null);
    el('decide').dataset.stepId = mine ? mine.id : '';
  }

  /** The review page: the instance, and the items this reviewer decides, each with its own buttons. */
  const reviewPath = () => REVIEWS + enc(document.body.dataset.definitionId) + '/instances/' + enc(document.body.dataset.instanceId);

  function renderItem(d, open) {
    const item = document.createElement('li');
    const list = document.createElement('dl');
    const who = d.principal.displayName || d.principal.id;
    addRow(list, 'Who', who + (d.principal.userPrincipalName ? ' (' + d.principal.userPrincipalName + ')' : ''));
    addRow(list, 'Access', (d.resource.displayName || d.resource.id) + ' — ' + d.accessType);
    addRow(list, 'Scope', d.directoryScopeId);
    addRow(list, 'Recommendation', d.recommendation + (d.recommendationReason ? ': ' + d.recommendationReason : ''));
    addRow(list, 'Decision', d.decision + (d.reviewedBy ? ' by ' + (d.reviewedBy.displayName || d.reviewedBy.id) : ''));
    addRow(list, 'Why', d.justification);
    item.append(list);
    if (open) {
      [['Approve', 'Approve'], ['Deny', 'Deny'], ['DontKnow', 'Don’t know']].forEach((choice) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = choice[1];
        button.addEventListener('click', () => { decideItem(d.id, choice[0]).catch(failed); });
        item.append(button);
      });
    }
    return item;
  }

  async function loadReview() {
    const [definition, instance, mine] = await Promise.all([
      call('GET', REVIEWS + enc(document.body.dataset.definitionId)),
      call('GET', reviewPath()),
      call('GET', reviewPath() + "/decisions/filterByCurrentUser(on='reviewer')"),
    ]);
    if ([definition, instance, mine].some((r) => r.status === 401)) return signedOut('Your sign-in is no longer valid.');
    const failedCall = [definition, instance, mine].find((r) => r.status !== 200);
    if (failedCall) return setStatus(errorText(failedCall), true);
    const open = instance.body.status === 'InProgress';
    el('review-name').textContent = definition.body.displayName;
    el('review-description').textContent = definition.body.descriptionForReviewers || '';
    const facts = el('review-facts');
    facts.replaceChildren();
    addRow(facts, 'Status', instance.body.status);
    addRow(facts, 'Ends', when(instance.body.endDateTime));
    addRow(facts, 'Justification to approve', definition.body.settings && definition.body.settings.justificationRequiredOnApproval ? 'Required' : 'Optional');
    addRow(facts, 'Yours to decide', mine.body.value.length + ', of which not yet decided: ' + mine.body.value.filter((d) => d.decision === 'NotReviewed').length);
    el('items').replaceChildren(...mine.body.value.map((d) => renderItem(d, open)));
    show('accept-recommendations', open);
    show('review', true);
    setStatus(open ? '' : 'This review has ended; its decisions can no longer be changed.');
  }

  async function decideItem(id, decision) {
    const justification = el('review-justification').value.trim();
    const result = await call('PATCH', reviewPath() + '/decisions/' + enc(id), { decision: decision, justification: justification || null });
    if (result.status !== 204) return setStatus(errorText(result), true);
    await loadReview();
    setStatus('Your decision is recorded.');
  }

  async function acceptRecommendations() {
    const result = await call('POST', reviewPath() + '/acceptRecommendations');
    if (result.status !== 200) return setStatus(errorText(result), true);
    await loadReview();
    setStatus(result.body.recorded + ' recommendation(s) accepted.');
  }

  async function load() {
    if (!token()) return signedOut();
    show('signin', false);
    show('signed-in', true);
    setStatus('Loading…');
    if (page === 'reviews') return loadReview();
    const request = await loadRequest();
    if (request.status === 401) return signedOut('Your sign-in is no longer valid: ' + errorText(request));
    if (request.status !== 200) return setStatus(errorText(request), true);
    await renderRequest(request.body);
    const approval = await call('GET', APPROVALS + enc(requestId));
    if (approval.status === 200) renderApproval(approval.body);
    else if (page === 'approvals') return setStatus(errorText(approval), true);
    setStatus('');
  }

  async function decide(reviewResult) {
    const stepId = el('decide').dataset.stepId;
    const justification = el('decide-justification').value.trim();
    ['approve', 'deny'].forEach((id) => { el(id).disabled = true; });
    try {
      const result = await call('PATCH', APPROVALS + enc(requestId) + '/steps/' + enc(stepId), { reviewResult: reviewResult, justification: justification || null });
      if (result.status !== 204) return setStatus(errorText(result), true);
      el('decide-justification').value = '';
      await load();
      setStatus(reviewResult === 'Approve' ? 'Your approval is recorded.' : 'Your denial is recorded.');
    } finally {
      ['approve', 'deny'].forEach((id) => { el(id).disabled = false; });
    }
  }

  const failed = (error) => setStatus('Something went wrong: ' + (error && error.message ? error.message : error), true);
  // Each page has its own buttons: wire those that are there.
  const on = (id, action) => { if (el(id)) el(id).addEventListener('click', () => { Promise.resolve().then(action).catch(failed); }); };
  on('use-token', () => signIn(el('token-input').value));
  on('dev-token', devSignIn);
  on('sign-out', () => signedOut());
  on('reload', load);
  on('approve', () => decide('Approve'));
  on('deny', () => decide('Deny'));
  on('accept-recommendations', acceptRecommendations);
  offerDevSignIn();
  load().catch(failed);
})();
`;
