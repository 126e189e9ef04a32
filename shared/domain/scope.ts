/**
 * Scopes (`directoryScopeId`): `/` is the whole tenant, `/administrativeUnits/{id}` a directory subset,
 * and resource paths such as `/subscriptions/{id}/resourceGroups/{name}` form a hierarchy. An assignment
 * at a scope holds at every scope below it. Resource paths compare case-insensitively, as Azure's do.
 */
import { BadRequestError } from './errors.ts';

export const TENANT_SCOPE = '/';

const SEGMENT = /^[A-Za-z0-9._()~-]+$/;

/** Checks a scope and returns its canonical form: no trailing slash, no empty segments. */
export function normalizeScope(scope: string): string {
  const trimmed = scope.trim();
  if (trimmed === TENANT_SCOPE) return TENANT_SCOPE;
  if (!trimmed.startsWith('/')) throw invalidScope(scope);
  const segments = trimmed.replace(/\/+$/, '').split('/').slice(1);
  if (segments.length === 0 || segments.length > 16 || segments.some((s) => !SEGMENT.test(s))) throw invalidScope(scope);
  if (segments[0]!.toLowerCase() === 'administrativeunits' && segments.length !== 2) throw invalidScope(scope);
  if (segments.length % 2 !== 0 && segments[0]!.toLowerCase() !== 'providers') throw invalidScope(scope);
  return `/${segments.join('/')}`;
}

function invalidScope(scope: string): BadRequestError {
  return new BadRequestError(
    `directoryScopeId '${scope.slice(0, 200)}' is not a scope. Use '/', '/administrativeUnits/{id}' or a resource path such as '/subscriptions/{id}/resourceGroups/{name}'.`,
    'InvalidScope',
  );
}

/** The key form used in the table: lower-case, so that containment is a prefix test. */
export function scopeKey(scope: string): string {
  return normalizeScope(scope).toLowerCase();
}

/** Whether an assignment at `outer` applies at `inner`. */
export function scopeContains(outer: string, inner: string): boolean {
  const o = scopeKey(outer);
  const i = scopeKey(inner);
  return o === TENANT_SCOPE || o === i || i.startsWith(`${o}/`);
}

/** `inner` and every scope above it, nearest first, ending with `/`. */
export function scopeAncestry(scope: string): string[] {
  const normalized = normalizeScope(scope);
  if (normalized === TENANT_SCOPE) return [TENANT_SCOPE];
  const segments = normalized.split('/').slice(1);
  const chain: string[] = [];
  for (let n = segments.length; n > 0; n--) chain.push(`/${segments.slice(0, n).join('/')}`);
  chain.push(TENANT_SCOPE);
  return chain;
}

export function isResourceScope(scope: string): boolean {
  const key = scopeKey(scope);
  return key.startsWith('/subscriptions/') || key.startsWith('/providers/');
}
