/**
 * The gate in front of every administrative use case: the caller must hold, right now, a role that the
 * authorization table (shared/domain/authorization.ts) names for the permission.
 */
import { isAllowed, roleNamesGranting, type Permission } from '../domain/authorization.ts';
import { ForbiddenError } from '../domain/errors.ts';
import type { Actor, Services } from './context.ts';
import { heldRoles } from './roles/principal-access.ts';

export async function requirePermission(svc: Services, actor: Actor, permission: Permission, scope?: string): Promise<void> {
  if (actor.system) return;
  if (isAllowed(await heldRoles(svc, actor.caller), permission, scope)) return;
  const names = roleNamesGranting(permission).join(', ');
  throw new ForbiddenError(`Insufficient privileges: this needs an active assignment of one of: ${names}. Activate an eligible role first if you have one.`);
}
