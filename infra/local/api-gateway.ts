/**
 * The local API Gateway: turns each HTTP request into the API Gateway v2 (HTTP API) event that AWS
 * would deliver, including the JWT authorizer's claims, and passes it to the Lambda handler that owns
 * the route prefix, exactly as the deployed routes do.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TokenVerifier } from '../../shared/auth/token-verifier.ts';
import type { GatewayRoute } from '../../shared/http/gateway-routes.ts';
import type { LambdaName } from '../../shared/http/route.ts';
import type { ApiHandler } from './lambda-modules.ts';

/** API Gateway's own payload limit. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

const fakeContext = (requestId: string): Context =>
  ({
    awsRequestId: requestId,
    functionName: 'stint-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:stint-local',
    memoryLimitInMB: '512',
    logGroupName: 'local',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestContext.time` as API Gateway writes it: `12/Mar/2020:19:03:58 +0000`. */
function gatewayTime(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`;
}

export interface GatewayDeps {
  routes: GatewayRoute[];
  handlers: Record<LambdaName, ApiHandler>;
  verifier: TokenVerifier;
}

export async function toEvent(request: IncomingMessage, body: Buffer, route: GatewayRoute, verifier: TokenVerifier): Promise<APIGatewayProxyEventV2> {
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQueryString = q < 0 ? '' : url.slice(q + 1);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers))
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-proto'] = (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  headers['x-forwarded-for'] = sourceIp;
  const now = new Date();
  const requestId = randomUUID();
  const routeKey = `ANY ${route.prefix}${rawPath === route.prefix ? '' : '/{proxy+}'}`;
  const isText = body.length === 0 || /json|text|xml|urlencoded/i.test(headers['content-type'] ?? 'application/json');
  const claims = route.public ? undefined : await authorizerClaims(headers.authorization, verifier);
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    queryStringParameters: rawQueryString ? Object.fromEntries(new URLSearchParams(rawQueryString)) : undefined,
    pathParameters: rawPath === route.prefix ? undefined : { proxy: rawPath.slice(route.prefix.length + 1) },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: request.method ?? 'GET', path: rawPath, protocol: `HTTP/${request.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  } as APIGatewayProxyEventV2;
}

/**
 * What the JWT authorizer would pass on. A request whose token does not verify still reaches the
 * handler here (without claims), which answers 401 in Graph's shape; in AWS the authorizer answers it.
 */
async function authorizerClaims(authorization: string | undefined, verifier: TokenVerifier): Promise<Record<string, string> | undefined> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!token) return undefined;
  try {
    const caller = await verifier.verify(token);
    return { sub: caller.id, ...(caller.userPrincipalName ? { upn: caller.userPrincipalName } : {}), amr: JSON.stringify(caller.authMethods) };
  } catch {
    return undefined;
  }
}

export async function invoke(deps: GatewayDeps, route: GatewayRoute, event: APIGatewayProxyEventV2) {
  return deps.handlers[route.lambda](event, fakeContext(event.requestContext.requestId));
}
