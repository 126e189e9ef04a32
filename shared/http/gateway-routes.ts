/**
 * The API Gateway routes: one `ANY {prefix}` and `ANY {prefix}/{proxy+}` pair per protected route prefix,
 * each sent to the Lambda that owns it, and one exact `GET {path}` per public route. Derived from the
 * contracts; the CDK API and the local gateway both use this list, so a route cannot exist in one and
 * not the other.
 */
import { ALL_ROUTES } from '../contracts/routes/index.ts';
import { compilePath, gatewayPrefix, splitPath } from './path-match.ts';
import type { LambdaName } from './route.ts';

export interface GatewayRoute {
  prefix: string;
  lambda: LambdaName;
  public: boolean;
  /**
   * API Gateway route keys, `METHOD /path`. Public prefixes get only their exact GETs (with `{name}`
   * parameters, one segment each): nothing else under them is reachable without a token.
   */
  routeKeys: string[];
}

export function gatewayRoutes(): GatewayRoute[] {
  const byPrefix = new Map<string, GatewayRoute>();
  for (const spec of ALL_ROUTES) {
    const prefix = gatewayPrefix(spec.path);
    const existing = byPrefix.get(prefix);
    if (existing && existing.lambda !== spec.lambda) throw new Error(`Prefix ${prefix} is claimed by both ${existing.lambda} and ${spec.lambda}.`);
    if (existing && existing.public !== !!spec.public) throw new Error(`Prefix ${prefix} mixes public and protected routes.`);
    if (spec.public && spec.method !== 'GET') throw new Error(`Public route ${spec.id} must be a GET: nothing that changes state goes without a token.`);
    const routeKeys = spec.public ? [...(existing?.routeKeys ?? []), `GET ${spec.path}`] : [`ANY ${prefix}`, `ANY ${prefix}/{proxy+}`];
    byPrefix.set(prefix, { prefix, lambda: spec.lambda, public: !!spec.public, routeKeys });
  }
  return [...byPrefix.values()].sort((a, b) => b.prefix.length - a.prefix.length);
}

/** API Gateway's choice: the longest prefix that the path equals or continues with '/'. */
export function routeFor(routes: GatewayRoute[], path: string): GatewayRoute | undefined {
  return routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
}

/** The route key of `route` that API Gateway would match for this method and path, if any. */
export function routeKeyFor(route: GatewayRoute, method: string, path: string): string | undefined {
  const segments = splitPath(path);
  return route.routeKeys.find((key) => {
    const [keyMethod, keyPath] = key.split(' ') as [string, string];
    if (keyMethod !== 'ANY' && keyMethod !== method.toUpperCase()) return false;
    if (keyPath.endsWith('/{proxy+}')) return path.startsWith(`${keyPath.slice(0, -'/{proxy+}'.length)}/`);
    return compilePath(keyPath).match(segments) !== undefined;
  });
}
