/**
 * Who a verified token is in the directory, asked on every request. Identity providers name people by
 * their own subject ids, never by Stint's; so the first time an (issuer, subject) is seen it is linked
 * to the directory user with its user principal name — only when the issuer vouches for that name and
 * the user has no identity yet — or a user is created from a vouched-for name. Anything else is refused
 * (403, audited): an administrator links it (identities.ts). Apps sign in as the service principal
 * registered with their appId.
 *
 * Which object an identity is may be cached per process (links change only with the object's deletion,
 * which the object's absence shows); whether that object still exists and is enabled is read on every
 * request (one consistent GetItem), so disabling or deleting takes effect on the next request. Names
 * come from the directory, never from the token.
 */
import type { VerifiedCaller } from '../../auth/token-verifier.ts';
import type { Caller } from '../../domain/caller.ts';
import { SYSTEM_CALLER } from '../../domain/caller.ts';
import { isIdOf } from '../../domain/ids.ts';
import { ConflictError, DomainError, ForbiddenError, UnauthenticatedError } from '../../domain/errors.ts';
import { findUniqueOwner, getObjectItem } from '../../store/directory-objects.ts';
import { identityState } from '../../store/identities.ts';
import { readPartitionAhead } from '../../store/role-schedules.ts';
import { commitChange } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, Services } from '../context.ts';
import { IDENTITY_ALREADY_LINKED, linkIdentity, USER_ALREADY_LINKED } from './identities.ts';
import { noteSignIn } from './sign-in-activity.ts';
import { createUser, resolveUserId } from './users.ts';

const cache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

const WHO_LINKS = 'A Privileged Role Administrator or Global Administrator can link it to your user with POST /v1.0/users/{id}/identities.';

export async function directoryCaller(svc: Services, token: VerifiedCaller): Promise<Caller> {
  const { issuer, verifiedUserPrincipalName: _vouched, subjectIsDirectoryId: _direct, ...caller } = token;
  const key = caller.kind === 'user' ? `${issuer}#${caller.id}` : `app#${caller.appId}`;
  let id = cache.get(key);
  // Nearly every request reads its caller's roles next: that read starts now, beside this one.
  if (id) readPartitionAhead(svc.table, id);
  let item = id ? await getObjectItem(svc.table, id) : undefined;
  if (!item) {
    // First seen by this process, or the object it was is gone: ask where the identity leads now.
    cache.delete(key);
    id = caller.kind === 'user' ? await userOf(svc, token) : caller.appId ? await findUniqueOwner(svc.table, 'APPID', caller.appId) : undefined;
    item = id ? await getObjectItem(svc.table, id) : undefined;
  }
  const data = item?.data as Record<string, unknown> | undefined;
  if (!item || !data || item.type !== caller.kind) {
    throw caller.kind === 'user'
      ? new UnauthenticatedError('Your account no longer exists in the directory (it was deleted), so it cannot use Stint.')
      : new UnauthenticatedError(
          `The application '${caller.appId ?? caller.id}' has no service principal in Stint's directory, so it cannot use Stint. An Application Administrator or Global Administrator registers it with POST /v1.0/servicePrincipals.`,
        );
  }
  const name = String(data.userPrincipalName ?? data.displayName ?? id);
  if (data.accountEnabled === false) {
    throw new UnauthenticatedError(
      `The account '${name}' is disabled (accountEnabled is false), so it cannot use Stint. An administrator may enable it again.`,
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, id!);
  const displayName = typeof data.displayName === 'string' ? data.displayName : undefined;
  // Never throws: the last sign-in is bookkeeping (the stale-account alert), not part of signing in.
  if (caller.kind === 'user') await noteSignIn(svc, id!);
  return caller.kind === 'user'
    ? { ...caller, id: id!, userPrincipalName: data.userPrincipalName as string, displayName }
    : { ...caller, id: id!, appId: data.appId as string, displayName };
}

/** The user an identity is linked to, linking it first if it may be; a deleted user's identity leads nowhere. */
async function userOf(svc: Services, token: VerifiedCaller): Promise<string | undefined> {
  // A subject that is a user id names that user or nobody (deleted): never a new user given its name.
  if (token.subjectIsDirectoryId && isIdOf('user', token.id)) return (await getObjectItem(svc.table, token.id))?.type === 'user' ? token.id : undefined;
  const state = await identityState(svc.table, token.issuer, token.id);
  if (state?.userId) return state.userId;
  if (state?.removed) return undefined;
  return linkFirstSignIn(svc, token);
}

async function linkFirstSignIn(svc: Services, token: VerifiedCaller): Promise<string> {
  const claimed = token.userPrincipalName;
  const vouched = token.verifiedUserPrincipalName;
  if (!vouched && (!claimed || !claimed.includes('@'))) {
    throw new UnauthenticatedError(
      'Your access token names no user principal name (upn, preferred_username or email claim), so you cannot be found in the directory. Ask your identity provider to include one.',
    );
  }
  const existing = await resolveUserId(svc, vouched ?? claimed!);
  if (!vouched) {
    return refuse(
      svc,
      token,
      existing,
      `Your sign-in identity is not linked to a user, and your identity provider does not vouch for the name '${claimed}' (an email needs email_verified: true; upn or preferred_username count only from an issuer configured as authoritative for them). ${WHO_LINKS}`,
    );
  }
  let userId = existing;
  if (!userId) {
    const actor: Actor = { caller: SYSTEM_CALLER, correlationId: `sign-in:${token.id}`, system: true };
    try {
      userId = (
        await createUser(svc, actor, {
          userPrincipalName: vouched,
          displayName: token.displayName ?? vouched.split('@')[0]!,
          mail: vouched,
          accountEnabled: true,
        })
      ).id;
    } catch (error) {
      // Another first request of the same person created them a moment ago.
      if (!(error instanceof ConflictError)) throw error;
      userId = await resolveUserId(svc, vouched);
      if (!userId) throw error;
    }
  }
  try {
    await linkIdentity(
      svc,
      { caller: { kind: 'user', id: userId, authMethods: [] }, correlationId: `sign-in:${token.id}` },
      userId,
      { issuer: token.issuer, subject: token.id },
      'sign-in',
    );
    return userId;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // The same identity's other first request linked it a moment ago: that link stands.
    if (error.code === IDENTITY_ALREADY_LINKED) return (await identityState(svc.table, token.issuer, token.id))?.userId ?? userId;
    if (error.code !== USER_ALREADY_LINKED) throw error;
    return refuse(
      svc,
      token,
      userId,
      `The user '${vouched}' already signs in with another identity, so a new one is not linked to it automatically. ${WHO_LINKS}`,
    );
  }
}

/** When each refused identity was last audited by this process: a client retrying in a loop writes one record an hour, not one a request. */
const refusalsAudited = new Map<string, number>();
const REAUDIT_MS = 3_600_000;

/** A refused link: 403, with an audit record naming the identity and what it claimed (the claim is not believed). */
async function refuse(svc: Services, token: VerifiedCaller, userId: string | undefined, reason: string): Promise<never> {
  const identityId = `${token.issuer}#${token.id}`;
  const now = svc.clock.now().getTime();
  const last = refusalsAudited.get(`${identityId}#${reason}`);
  if (last === undefined || now - last >= REAUDIT_MS || now < last) await auditRefusal(svc, token, userId, reason);
  if (refusalsAudited.size >= CACHE_LIMIT) refusalsAudited.clear();
  refusalsAudited.set(`${identityId}#${reason}`, now);
  throw new ForbiddenError(reason, 'Authorization_IdentityNotLinked');
}

async function auditRefusal(svc: Services, token: VerifiedCaller, userId: string | undefined, reason: string): Promise<void> {
  const identityId = `${token.issuer}#${token.id}`;
  const actor: Actor = { caller: { kind: 'user', id: identityId, authMethods: [], ipAddress: token.ipAddress }, correlationId: `sign-in:${token.id}` };
  const audit = auditOf(svc, actor, {
    category: 'UserManagement',
    activity: 'Link sign-in identity',
    operationType: 'Update',
    targets: [
      userId
        ? { id: userId, displayName: null, type: 'User', modifiedProperties: [] }
        : { id: identityId, displayName: null, type: 'Other', modifiedProperties: [] },
    ],
    details: { issuer: token.issuer, issuerAssignedId: token.id, claimedUserPrincipalName: token.userPrincipalName ?? '' },
  });
  await commitChange(svc.table, [], { ...audit, record: { ...audit.record, result: 'failure', resultReason: reason } });
}
