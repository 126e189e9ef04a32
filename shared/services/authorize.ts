/**
 * The gate in front of every administrative use case: the caller must hold, right now, a role that the
 * authorization table (shared/domain/authorization.ts) names for the permission.
 */
import { isAllowed, roleNamesGranting, type Permission } from '../domain/authorization.ts';
import { ForbiddenError } from '../domain/errors.ts';
import type { Actor, Services } from './context.ts';
import { heldRoles } from './roles/principal-access.ts';

export interface Gate {
  /** Where the permission must hold (default: the tenant). */
  scope?: string;
  /** Why the target needs this permission, said before who may: people should learn the rule, not only the refusal. */
  because?: string;
}

export async function requirePermission(svc: Services, actor: Actor, permission: Permission, gate: string | Gate = {}): Promise<void> {
  if (actor.system) return;
  const { scope, because } = typeof gate === 'string' ? { scope: gate } : gate;
  if (isAllowed(await heldRoles(svc, actor.caller), permission, scope)) return;
  throw new ForbiddenError(refusal(permission, because));
}

/** Whether the caller holds any of the permissions right now (system actors hold all). */
export async function holdsAny(svc: Services, actor: Actor, permissions: Permission[], scope?: string): Promise<boolean> {
  if (actor.system) return true;
  const held = await heldRoles(svc, actor.caller);
  return permissions.some((p) => isAllowed(held, p, scope));
}

export function refusal(permission: Permission, because?: string): string {
  const names = roleNamesGranting(permission).join(', ');
  if (because) return `${because} Only an active assignment of one of these may do it: ${names}.`;
  return `Insufficient privileges: this needs an active assignment of one of: ${names}. Activate an eligible role first if you have one.`;
}
