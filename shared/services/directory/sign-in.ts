/**
 * Who a verified token is in the directory. Identity providers name people by their own subject ids
 * (Entra's oid, Cognito's sub, Okta's uid), never by Stint's; so the first time an identity is seen it
 * is linked to the directory user with its user principal name (the first Global Administrator made at
 * deploy time, or anyone added beforehand), or a user is created from its claims. Apps sign in as the
 * service principal registered with their appId. Links never change, so they are cached per process.
 */
import type { Caller } from '../../domain/caller.ts';
import { SYSTEM_CALLER } from '../../domain/caller.ts';
import { ConflictError, UnauthenticatedError } from '../../domain/errors.ts';
import { linkIdentity, linkedUser } from '../../store/identities.ts';
import type { Actor, Services } from '../context.ts';
import { findServicePrincipalByAppId } from './service-principals.ts';
import { createUser, resolveUserId } from './users.ts';

const cache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

export async function directoryCaller(svc: Services, caller: Caller, issuer: string): Promise<Caller> {
  if (caller.kind === 'servicePrincipal') {
    if (!caller.appId) return caller;
    const appKey = `app#${issuer}#${caller.appId}`;
    const spId = cache.get(appKey) ?? (await findServicePrincipalByAppId(svc, caller.appId))?.id;
    if (!spId) return caller;
    cache.set(appKey, spId);
    return { ...caller, id: spId };
  }
  const key = `${issuer}#${caller.id}`;
  const cached = cache.get(key);
  if (cached) return { ...caller, id: cached };
  const userId = (await linkedUser(svc.table, issuer, caller.id)) ?? (await linkFirstSignIn(svc, caller, issuer));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, userId);
  return { ...caller, id: userId };
}

async function linkFirstSignIn(svc: Services, caller: Caller, issuer: string): Promise<string> {
  const upn = caller.userPrincipalName;
  if (!upn || !upn.includes('@')) {
    throw new UnauthenticatedError('Your access token names no user principal name (upn, preferred_username or email claim), so you cannot be found in the directory. Ask your identity provider to include one.');
  }
  const actor: Actor = { caller: SYSTEM_CALLER, correlationId: `sign-in:${caller.id}`, system: true };
  let userId = await resolveUserId(svc, upn);
  if (!userId) {
    try {
      userId = (await createUser(svc, actor, { userPrincipalName: upn, displayName: caller.displayName ?? upn.split('@')[0]!, mail: upn, accountEnabled: true })).id;
    } catch (error) {
      // Another first request of the same person created them a moment ago.
      if (!(error instanceof ConflictError)) throw error;
      userId = await resolveUserId(svc, upn);
      if (!userId) throw error;
    }
  }
  return linkIdentity(svc.table, issuer, caller.id, userId, svc.clock.now());
}
