/**
 * The route contracts, the OpenAPI document, the Lambda entry modules and the API Gateway routes are
 * four views of one list (ALL_ROUTES); these tests keep them in step.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../../../shared/contracts/routes/index.ts';
import type { BoundRoute } from '../../../shared/http/api-handler.ts';
import { gatewayRoutes, routeFor } from '../../../shared/http/gateway-routes.ts';
import { assertRouteCoverage } from '../../../shared/http/route-coverage.ts';
import { openApiDocument } from '../../../shared/http/openapi.ts';
import { gatewayPrefix } from '../../../shared/http/path-match.ts';
import { LAMBDAS, type RouteSpec } from '../../../shared/http/route.ts';
import type { Runtime } from '../../../shared/runtime.ts';

type Operation = {
  operationId: string;
  security?: unknown[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: object } } };
  parameters: { name: string; in: string; required: boolean }[];
  responses: Record<string, unknown>;
  tags: string[];
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  security: unknown[];
  servers: { url: string }[];
  components: { schemas: Record<string, unknown> };
};

const SERVER = 'https://api.stint.test';
const doc = openApiDocument(SERVER) as unknown as Document;
const routeName = (r: RouteSpec) => `${r.method} ${r.path}`;
const withParams = (path: string) => path.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name: string) => `${name}-1`);
const pathParams = (path: string) => [...path.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]!);

describe('ALL_ROUTES', () => {
  it('has unique ids and unique method-and-path pairs', () => {
    // Assess
    expect(new Set(ALL_ROUTES.map((r) => r.id)).size).toBe(ALL_ROUTES.length);
    expect(new Set(ALL_ROUTES.map(routeName)).size).toBe(ALL_ROUTES.length);
  });

  it('names only Lambdas that LAMBDAS lists', () => {
    // Assess
    for (const route of ALL_ROUTES) expect(LAMBDAS, route.id).toContain(route.lambda);
  });

  it('keeps public routes to health and the API description (email links land in the portal, not the API), all GETs on the meta Lambda', () => {
    // Act
    const open = ALL_ROUTES.filter((r) => r.public);

    // Assess
    expect(open.map((r) => r.path).sort()).toEqual(['/health', '/openapi.json']);
    for (const route of open) expect({ id: route.id, method: route.method, lambda: route.lambda }).toEqual({ id: route.id, method: 'GET', lambda: 'meta' });
  });

  it.each(ALL_ROUTES.map((r) => [r.id, r] as const))('%s declares a params schema exactly when its path has parameters', (_, route) => {
    // Assess
    expect(!!route.params, route.path).toBe(pathParams(route.path).length > 0);
  });
});

describe('openApiDocument', () => {
  it('has exactly one operation per route when generated', () => {
    // Act
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );

    // Assess
    expect(operations.sort()).toEqual(ALL_ROUTES.map((r) => `${routeName(r)} ${r.id}`).sort());
  });

  it.each(ALL_ROUTES.map((r) => [r.id, r] as const))('documents %s with its method, path, body, security and status', (_, route) => {
    // Act
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];

    // Assess
    expect(op, routeName(route)).toBeDefined();
    expect(op!.operationId).toBe(route.id);
    expect(op!.tags).toEqual([route.tag]);
    expect(!!op!.requestBody).toBe(!!route.body);
    if (route.body) {
      expect(op!.requestBody!.required).toBe(true);
      expect(op!.requestBody!.content['application/json'].schema).toMatchObject({ type: 'object' });
    }
    if (route.public) expect(op!.security).toEqual([]);
    else expect(op).not.toHaveProperty('security');
    expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining([String(route.status), '4XX', '5XX']));
    const documented = op!.parameters.filter((p) => p.in === 'path');
    expect(documented.map((p) => p.name).sort()).toEqual(pathParams(route.path).sort());
    for (const p of documented) expect(p.required).toBe(true);
  });

  it('requires a bearer token by default and names the server it was given', () => {
    // Assess
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.servers).toEqual([{ url: SERVER }]);
    expect(doc.components.schemas).toHaveProperty('GraphError');
  });

  it('is plain JSON when serialised', () => {
    // Act
    const text = JSON.stringify(doc);

    // Assess
    expect(JSON.parse(text)).toEqual(doc);
    expect(text).not.toContain('"$schema"');
  });
});

describe('Lambda entry modules', () => {
  const used = [...new Set(ALL_ROUTES.map((r) => r.lambda))];

  it.each(LAMBDAS.map((l) => [l]))('functions/api/%s.ts exists and exports handler and createHandler', async (lambda) => {
    // Act
    const module = (await import(`../../../functions/api/${lambda}.ts`)) as { handler?: unknown; createHandler?: unknown };

    // Assess
    expect(existsSync(new URL(`../../../functions/api/${lambda}.ts`, import.meta.url))).toBe(true);
    expect(typeof module.handler).toBe('function');
    expect(typeof module.createHandler).toBe('function');
  });

  it.each(used.map((l) => [l]))('the %s Lambda implements every route of its contracts, and nothing else', async (lambda) => {
    // Prepare
    const module = (await import(`../../../functions/api/${lambda}.ts`)) as { routes: BoundRoute[]; createHandler: (runtime?: () => Runtime) => unknown };

    // Act
    const check = () => assertRouteCoverage(lambda, module.routes);
    const create = () =>
      module.createHandler(() => {
        throw new Error('not invoked');
      });

    // Assess
    expect(check).not.toThrow();
    expect(create).not.toThrow();
  });
});

describe('gatewayRoutes', () => {
  const routes = gatewayRoutes();

  it('gives every prefix one Lambda and lists the longest prefixes first', () => {
    // Act
    const prefixes = routes.map((r) => r.prefix);

    // Assess
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (let i = 1; i < routes.length; i++) expect(routes[i - 1]!.prefix.length).toBeGreaterThanOrEqual(routes[i]!.prefix.length);
  });

  it('never lets two Lambdas share a prefix when the prefixes are recomputed from the contracts', () => {
    // Act
    const owners = new Map<string, Set<string>>();
    for (const route of ALL_ROUTES) {
      const prefix = gatewayPrefix(route.path);
      owners.set(prefix, (owners.get(prefix) ?? new Set()).add(route.lambda));
    }

    // Assess
    for (const [prefix, lambdas] of owners) expect([...lambdas], prefix).toHaveLength(1);
    expect([...owners.keys()].sort()).toEqual(routes.map((r) => r.prefix).sort());
  });

  it.each(ALL_ROUTES.map((r) => [routeName(r), r] as const))('sends %s to its Lambda when its parameters are filled in', (_, route) => {
    // Prepare
    const path = withParams(route.path);
    const encoded = `/${path.split('/').filter(Boolean).map(encodeURIComponent).join('/')}`;

    // Act
    const found = [routeFor(routes, path), routeFor(routes, encoded)];

    // Assess
    for (const target of found) {
      expect(target?.lambda, path).toBe(route.lambda);
      expect(target?.public).toBe(!!route.public);
    }
  });

  it.each(['/', '/v1.0', '/v1.0/', '/v1.0/usersX', '/healthz', '/v1.0/nothing/users'])('sends %s nowhere', (path) => {
    // Act
    const found = routeFor(routes, path);

    // Assess
    expect(found).toBeUndefined();
  });
});
