/** One local HTTP port: the API (through the local API Gateway) and the dev issuer's endpoints. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { DomainError } from '../../shared/domain/errors.ts';
import { answerFor, graphErrorBody } from '../../shared/http/error-response.ts';
import type { Services } from '../../shared/services/context.ts';
import { routeFor, routeKeyFor } from '../../shared/http/gateway-routes.ts';
import { GATEWAY_MAX_BODY_BYTES, invoke, toEvent, type GatewayDeps } from './api-gateway.ts';
import { discoveryDocument, issueToken } from './dev-endpoints.ts';
import { assertLocalRequest } from './local-origin.ts';
import { isStreamedExport, streamExport } from './export-stream.ts';
import type { DevIssuer } from './dev-issuer.ts';
import type { Background } from './background.ts';
import type { Readiness } from './readiness.ts';
import { isPortalPath, servePortal, type PortalSiteOptions } from './portal-site.ts';
import { createLocalOidc, type LocalOidc } from './oidc/provider.ts';
import { oidcEndpoint } from './oidc/endpoints.ts';
import { emulatorAssignments, reconcileNow } from './aws-endpoints.ts';
import type { AwsDemo } from './aws-seed.ts';

export interface LocalServerDeps extends GatewayDeps {
  issuer: DevIssuer;
  services: Services;
  /** The workflows and the sweeper, once started (they start after the servers listen). */
  background?: () => Background | undefined;
  /** Locally GET /health answers from this (ready, or which parts are still starting) instead of the liveness route. */
  readiness?: Readiness;
  /** The portal's single-page app at /portal/ (web/dist, built by `npm start`). */
  portal?: PortalSiteOptions;
  /** The sign-in endpoints' sessions and codes; one per stack so its HTTP and HTTPS ports share them. Made here when absent. */
  oidc?: LocalOidc;
  /** The local AWS emulator's demo, when it runs (GET /local/aws/assignments). */
  aws?: AwsDemo;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped: cutting the connection instead would reset it under a
    // client that is still sending, and the client would never see the 413.
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      size > GATEWAY_MAX_BODY_BYTES
        ? reject(new DomainError('tooLarge', 'RequestEntityTooLarge', `The request body is larger than ${GATEWAY_MAX_BODY_BYTES} bytes.`))
        : resolve(Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: unknown): void {
  const answer = answerFor(error);
  if (answer.status >= 500) console.error(error);
  const requestId = randomUUID();
  sendJson(response, answer.status, graphErrorBody(answer, requestId, new Date()), { 'request-id': requestId });
}

async function handle(deps: LocalServerDeps & { oidc: LocalOidc }, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const [path, search] = splitUrl(request.url ?? '/');
  const method = request.method ?? 'GET';
  const body = await readBody(request);
  assertLocalRequest(
    method,
    path,
    { host: request.headers.host, origin: request.headers.origin, 'content-type': request.headers['content-type'] },
    body.length,
  );
  if (path === '/health' && method === 'GET' && deps.readiness) {
    const health = deps.readiness.health();
    return sendJson(response, health.status, health.body, { 'cache-control': 'no-store' });
  }
  const oauth = await oidcEndpoint(deps.oidc, {
    method,
    path,
    query: new URLSearchParams(search),
    headers: { cookie: request.headers.cookie, 'content-type': request.headers['content-type'] },
    body,
  });
  if (oauth) {
    response.writeHead(oauth.status, oauth.headers);
    return void response.end(oauth.body);
  }
  if (path === '/local/token' && method === 'POST') {
    let parsed: unknown;
    try {
      parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      parsed = undefined;
    }
    return sendJson(response, 200, await issueToken(deps.services, deps.issuer, parsed), { 'cache-control': 'no-store' });
  }
  if (path.startsWith('/local/workflows') || path === '/local/sweep' || path === '/local/reviews/run' || path === '/local/digest')
    return backgroundEndpoint(deps, path, method, response);
  if (path === '/local/aws/assignments' && method === 'GET')
    return sendJson(response, 200, { value: await emulatorAssignments(deps.services.aws?.center, deps.aws) }, { 'cache-control': 'no-store' });
  if (path === '/local/aws/reconcile' && method === 'POST')
    return sendJson(response, 200, await reconcileNow(deps.services, deps.background?.()), { 'cache-control': 'no-store' });
  if (path === '/.well-known/jwks.json' && method === 'GET') return sendJson(response, 200, deps.issuer.jwks);
  if (path === '/.well-known/openid-configuration' && method === 'GET') return sendJson(response, 200, discoveryDocument(deps.issuer));
  const route = routeFor(deps.routes, path);
  // Every portal path is the app (email links to /portal/requests/…, /approvals/…, /reviews/… included).
  if (deps.portal && isPortalPath(path) && (method === 'GET' || method === 'HEAD')) return servePortal(path, response, deps.portal);
  if (!route) throw new DomainError('notFound', 'Request_ResourceNotFound', `No resource matches '${path}'. The API lives under /v1.0; see /openapi.json.`);
  // As in API Gateway: a public prefix serves only its exact GETs, so nothing else there escapes the authorizer.
  if (route.public && !routeKeyFor(route, method, path))
    throw new DomainError('notFound', 'Request_ResourceNotFound', `No resource matches ${method} '${path}'.`);
  const event = await toEvent(request, body, route, deps.verifier);
  if (isStreamedExport(request, path)) return streamExport((e) => invoke(deps, route, e), event, response);
  const result = await invoke(deps, route, event);
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
}

/**
 * Local-only views of what AWS shows in its consoles: the lifecycle runs (GET /local/workflows), killing
 * one as a crash would (POST /local/workflows/{id}/kill, to watch the sweeper repair it), and running
 * the sweeper now (POST /local/sweep), the access review job now (POST /local/reviews/run), and the
 * weekly digest job now (POST /local/digest: it sends only when the week's digest is due and unsent).
 */
async function backgroundEndpoint(deps: LocalServerDeps, path: string, method: string, response: ServerResponse): Promise<void> {
  const background = deps.background?.();
  if (!background) throw new DomainError('notFound', 'Request_ResourceNotFound', 'The workflows and the sweeper are not running in this stack.');
  const kill = /^\/local\/workflows\/([^/]+)\/kill$/.exec(path);
  if (path === '/local/workflows' && method === 'GET')
    return sendJson(response, 200, { value: background.workflows.runs().map((r) => ({ ...r, waitingFor: background.workflows.waitingFor(r.name) ?? null })) });
  if (kill && method === 'POST') {
    const name = decodeURIComponent(kill[1]!);
    if (background.workflows.statusOf(name) !== 'running') throw new DomainError('notFound', 'Request_ResourceNotFound', `No running workflow '${name}'.`);
    background.workflows.kill(name);
    return sendJson(response, 200, { name, killed: true, note: 'The run is gone as if its process crashed; the sweeper repairs what it would have done.' });
  }
  if (path === '/local/sweep' && method === 'POST') return sendJson(response, 200, await background.sweep());
  if (path === '/local/reviews/run' && method === 'POST')
    return sendJson(
      response,
      200,
      await background.runReviews().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) })),
    );
  if (path === '/local/digest' && method === 'POST')
    return sendJson(response, 200, await background.runDigest().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) })));
  throw new DomainError('notFound', 'Request_ResourceNotFound', `No local endpoint ${method} ${path}.`);
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}

/** The request listener, shared by the HTTP and the HTTPS server. */
export function localListener(deps: LocalServerDeps) {
  const withOidc = { ...deps, oidc: deps.oidc ?? createLocalOidc(deps.issuer, deps.services) };
  return (request: IncomingMessage, response: ServerResponse) => {
    handle(withOidc, request, response).catch((error) => {
      if (!response.headersSent) sendError(response, error);
      else response.destroy();
    });
  };
}

export function createLocalServer(deps: LocalServerDeps): Server {
  return createServer(localListener(deps));
}

export function createLocalHttpsServer(deps: LocalServerDeps, tls: { key: string; cert: string }): HttpsServer {
  return createHttpsServer({ key: tls.key, cert: tls.cert }, localListener(deps));
}

export function listen(server: Server | HttpsServer, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
