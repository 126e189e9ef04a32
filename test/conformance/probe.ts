/**
 * The conformance probe: calls every GET route of a filled Stint (each `{id}` taken from its parent
 * collection, each `filterByCurrentUser(on=…)` with every option Graph declares, and each `$expand`
 * Stint accepts) and checks every answer against Graph's schema. Routes that Graph's schema does not
 * have are Stint's extensions: they are reported, and must be the ones the README lists.
 */
import { ALL_ROUTES } from '../../shared/contracts/routes/index.ts';
import type { Csdl, TypeRef } from './csdl.ts';
import type { Call, Filled } from './fill.ts';
import { resolvePath } from './resolve-path.ts';
import { validateObject, validateValue, type Problem } from './validate.ts';

export interface RouteProblem extends Problem {
  route: string;
  url: string;
}

export interface ProbeReport {
  /** Every URL called, with the route it belongs to and the number of values checked in its answer. */
  checked: { route: string; url: string; status: number; values: number }[];
  problems: RouteProblem[];
  /** GET routes under the version that Graph's schema has not got. */
  extensionRoutes: string[];
  /** Instance annotations met (`@stint.…`). */
  annotations: Set<string>;
}

/** Navigation properties worth asking `$expand` for; a route that refuses one (400) simply does not offer it. */
const EXPANDABLE = [
  'activatedUsing',
  'principal',
  'roleDefinition',
  'rules',
  'effectiveRules',
  'policy',
  'stages',
  'group',
  'instances',
  'decisions',
  'insights',
];
/** Lists that Graph (and Stint) answer only with a filter. */
const REQUIRED_FILTERS: [RegExp, (ids: ProbeIds) => string[]][] = [
  [
    /^\/(v1\.0|beta)\/policies\/roleManagementPolic(ies|yAssignments)$/,
    (ids) => [`scopeId eq '/' and scopeType eq 'DirectoryRole'`, `scopeId eq '${ids.groupId}' and scopeType eq 'Group'`],
  ],
  [/^\/(v1\.0|beta)\/identityGovernance\/privilegedAccess\/group\/\w+$/, (ids) => [`groupId eq '${ids.groupId}'`]],
  [
    /^\/beta\/identityGovernance\/roleManagementAlerts\/(alerts|alertDefinitions|alertConfigurations)$/,
    () => [`scopeId eq '/' and scopeType eq 'DirectoryRole'`],
  ],
];

type ProbeIds = Filled['ids'];

const countValues = (value: unknown): number =>
  Array.isArray(value)
    ? value.reduce((n: number, v) => n + countValues(v), 0)
    : value && typeof value === 'object'
      ? Object.values(value).reduce((n: number, v) => n + countValues(v), 0)
      : 1;

/** Checks an answer's body: a collection `{ value: [...] }` or one entity, with OData's control information. */
export function checkAnswer(csdl: Csdl, ref: TypeRef, body: any, expand: ReadonlySet<string>, annotations: Set<string>): Problem[] {
  const problems: Problem[] = [];
  if (ref.collection) {
    if (!body || typeof body !== 'object' || !Array.isArray(body.value)) return [{ path: '$', rule: 'a collection answers { "value": [...] }' }];
    for (const key of Object.keys(body))
      if (!['@odata.context', '@odata.nextLink', '@odata.count', '@odata.deltaLink', 'value'].includes(key))
        problems.push({ path: `$.${key}`, rule: 'is not part of a collection answer' });
    validateValue(csdl, body.value, ref, '$.value', problems, { expand, annotations });
  } else if (ref.type.startsWith('Edm.') || csdl.enums.has(ref.type)) {
    validateValue(csdl, body?.value, ref, '$.value', problems, { annotations });
  } else {
    validateObject(csdl, body, ref.type, '$', problems, { expand, annotations });
  }
  return problems;
}

export async function probe(
  call: Call,
  filled: Filled,
  csdl: Csdl,
  version: 'v1.0' | 'beta',
  resolveExtension?: (path: string) => TypeRef | undefined,
): Promise<ProbeReport> {
  const report: ProbeReport = { checked: [], problems: [], extensionRoutes: [], annotations: new Set() };
  const prefix = `/${version}`;
  const answers = new Map<string, Promise<{ status: number; body: any }>>();
  const get = (url: string, token: string) => {
    const key = `${token.slice(-12)} ${url}`;
    if (!answers.has(key)) answers.set(key, call('GET', url, token));
    return answers.get(key)!;
  };
  const tokens = Object.values(filled.tokens);

  /** Concrete URLs for a route template, each parameter taken from the items of the collection before it. */
  async function concrete(template: string): Promise<string[]> {
    const segments = template.split('/');
    let paths = [''];
    for (const segment of segments.slice(1)) {
      const next: string[] = [];
      for (const path of paths) {
        if (/^\{\w+\}$/.test(segment)) {
          const ids = new Set<string>();
          for (const url of listUrls(path)) {
            const answer = await get(url, filled.tokens.admin);
            for (const item of answer.body?.value ?? []) if (item.id) ids.add(item.id);
          }
          // A collection Graph lists only per user (group assignmentApprovals): its filterByCurrentUser, as each of them.
          if (ids.size === 0) {
            for (const url of await concrete(`${path}/filterByCurrentUser(on='{on}')`)) {
              for (const token of tokens) for (const item of (await get(url, token)).body?.value ?? []) if (item.id) ids.add(item.id);
            }
          }
          for (const id of [...ids].slice(0, 3)) next.push(`${path}/${encodeURIComponent(id)}`);
        } else if (segment.includes("'{on}'")) {
          const type = resolvePath(csdl, path.slice(prefix.length));
          // Graph's options for the function, each of which Stint must take.
          const fn = type.ok ? csdl.functions.find((f) => f.name === 'filterByCurrentUser' && f.binding.type === type.ref.type) : undefined;
          const options = fn
            ? [...(csdl.enums.get(fn.parameters.get('on')?.type ?? '')?.members ?? [])].filter((m) => m !== 'unknownFutureValue')
            : ['principal'];
          for (const on of options) next.push(`${path}/${segment.replace('{on}', on)}`);
        } else next.push(`${path}/${segment}`);
      }
      paths = next;
    }
    return paths;
  }

  function listUrls(path: string): string[] {
    const required = REQUIRED_FILTERS.find(([pattern]) => pattern.test(path));
    return required ? required[1](filled.ids).map((f) => `${path}?$filter=${encodeURIComponent(f)}`) : [path];
  }

  const routes = ALL_ROUTES.filter((r) => r.method === 'GET' && r.path.startsWith(`${prefix}/`));
  for (const route of routes) {
    const resolved = resolvePath(csdl, route.path.slice(prefix.length).replace("'{on}'", "'x'"), true);
    const extension = resolved.ok ? undefined : resolveExtension?.(route.path);
    if (!resolved.ok) report.extensionRoutes.push(route.path);
    const ref = resolved.ok ? resolved.ref : extension;
    if (!ref) continue;
    for (const path of await concrete(route.path)) {
      const urls = route.path.endsWith('}') || route.path.endsWith(')') || !ref.collection ? [path] : listUrls(path);
      for (const url of urls) {
        for (const token of route.path.includes('filterByCurrentUser') ? tokens : [filled.tokens.admin]) {
          await checkUrl(route.path, url, token, new Set());
          for (const nav of EXPANDABLE) {
            const found = csdl.structured.has(ref.type) ? navigationOf(csdl, ref.type, nav) : false;
            if (found) await checkUrl(route.path, `${url}${url.includes('?') ? '&' : '?'}$expand=${nav}`, token, new Set([nav]), true);
          }
        }
      }
    }
  }

  async function checkUrl(routePath: string, url: string, token: string, expand: Set<string>, optional = false): Promise<void> {
    const answer = await get(url, token);
    if (optional && answer.status === 400) return;
    const resolved = resolvePath(csdl, routePath.slice(prefix.length).replace("'{on}'", "'x'"), true);
    const ref = resolved.ok ? resolved.ref : resolveExtension?.(routePath);
    if (answer.status !== 200) {
      if (answer.status !== 403 && answer.status !== 404)
        report.problems.push({ route: routePath, url, path: '$', rule: `answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}` });
      return;
    }
    report.checked.push({ route: routePath, url, status: answer.status, values: countValues(answer.body) });
    if (!ref) return;
    for (const problem of checkAnswer(csdl, ref, answer.body, expand, report.annotations)) report.problems.push({ route: routePath, url, ...problem });
  }

  return report;
}

function navigationOf(csdl: Csdl, type: string, name: string): boolean {
  for (let t = csdl.structured.get(type); t; t = t.baseType ? csdl.structured.get(t.baseType) : undefined) if (t.navigation.has(name)) return true;
  return false;
}

/** One line per distinct problem (array indexes folded), with the first URL that showed it. */
export function formatProblems(problems: RouteProblem[]): string {
  const seen = new Map<string, RouteProblem & { count: number }>();
  for (const p of problems) {
    const key = `${p.route} ${p.path.replace(/\[\d+\]/g, '[]')} ${p.rule.replace(/, got .*/, '')}`;
    const hit = seen.get(key);
    if (hit) hit.count++;
    else seen.set(key, { ...p, count: 1 });
  }
  return [...seen.values()].map((p) => `GET ${p.route} (${p.url}${p.count > 1 ? `, and ${p.count - 1} more` : ''})\n  at ${p.path}: ${p.rule}`).join('\n');
}
