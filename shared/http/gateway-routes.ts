/**
 * The API Gateway routes: one `ANY {prefix}` and `ANY {prefix}/{proxy+}` pair per route prefix, each
 * sent to the Lambda that owns it. Derived from the contracts; the CDK API and the local gateway both
 * use this list, so a route cannot exist in one and not the other.
 */
import { ALL_ROUTES } from '../contracts/routes/index.ts';
import { gatewayPrefix } from './path-match.ts';
import type { LambdaName } from './route.ts';

export interface GatewayRoute {
  prefix: string;
  lambda: LambdaName;
  public: boolean;
}

export function gatewayRoutes(): GatewayRoute[] {
  const byPrefix = new Map<string, GatewayRoute>();
  for (const spec of ALL_ROUTES) {
    const prefix = gatewayPrefix(spec.path);
    const existing = byPrefix.get(prefix);
    if (existing && existing.lambda !== spec.lambda) throw new Error(`Prefix ${prefix} is claimed by both ${existing.lambda} and ${spec.lambda}.`);
    if (existing && existing.public !== !!spec.public) throw new Error(`Prefix ${prefix} mixes public and protected routes.`);
    byPrefix.set(prefix, { prefix, lambda: spec.lambda, public: !!spec.public });
  }
  return [...byPrefix.values()].sort((a, b) => b.prefix.length - a.prefix.length);
}

/** API Gateway's choice: the longest prefix that the path equals or continues with '/'. */
export function routeFor(routes: GatewayRoute[], path: string): GatewayRoute | undefined {
  return routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
}

