/**
 * The gate in front of every administrative use case: the caller must hold, right now, a role that the
 * authorization table (shared/domain/authorization.ts) names for the permission.
 */
import { isAllowed, roleNamesGranting, type HeldRole, type Permission } from '../domain/authorization.ts';
import { ForbiddenError } from '../domain/errors.ts';
import type { Actor, Services } from './context.ts';
import { heldRoles } from './roles/holdings/principal-access.ts';

export interface Gate {
  /** Where the permission must hold (default: the tenant). */
  scope?: string;
  /** Why the target needs this permission, said before who may: people should learn the rule, not only the refusal. */
  because?: string;
}

/**
 * The roles an actor holds, read once for a use case that asks twice (some power first, then the power its
 * target needs). An actor lives for one request; should one live longer, a reading is reused for at most a
 * second, so a role that ends is not honoured from memory past that.
 */
const heldByActor = new WeakMap<Actor, { at: number; held: Promise<HeldRole[]> }>();
const REUSE_MS = 1_000;

function heldBy(svc: Services, actor: Actor): Promise<HeldRole[]> {
  const now = svc.clock.now().getTime();
  const known = heldByActor.get(actor);
  if (known && now >= known.at && now - known.at < REUSE_MS) return known.held;
  const held = heldRoles(svc, actor.caller);
  heldByActor.set(actor, { at: now, held });
  held.catch(() => heldByActor.delete(actor));
  return held;
}

export async function requirePermission(svc: Services, actor: Actor, permission: Permission, gate: string | Gate = {}): Promise<void> {
  if (actor.system) return;
  const { scope, because } = typeof gate === 'string' ? { scope: gate } : gate;
  if (isAllowed(await heldBy(svc, actor), permission, scope)) return;
  throw new ForbiddenError(refusal(permission, because));
}

/** Whether the caller holds any of the permissions right now (system actors hold all). */
export async function holdsAny(svc: Services, actor: Actor, permissions: Permission[], scope?: string): Promise<boolean> {
  if (actor.system) return true;
  const held = await heldBy(svc, actor);
  return permissions.some((p) => isAllowed(held, p, scope));
}

/**
 * A first gate, before the target is read: the caller holds at least one of the powers the target may
 * need, or learns nothing but a 403 naming the first. The target's own rule is checked after it is read.
 */
export async function requireAny(svc: Services, actor: Actor, permissions: [Permission, ...Permission[]], scope?: string): Promise<void> {
  if (!(await holdsAny(svc, actor, permissions, scope))) throw new ForbiddenError(refusal(permissions[0]));
}

export function refusal(permission: Permission, because?: string): string {
  const names = roleNamesGranting(permission).join(', ');
  if (because) return `${because} Only an active assignment of one of these may do it: ${names}.`;
  return `Insufficient privileges: this needs an active assignment of one of: ${names}. Activate an eligible role first if you have one.`;
}
