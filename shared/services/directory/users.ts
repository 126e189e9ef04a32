/** Use cases for `/users`. Identity (sign-in) comes from the token issuer; this is the directory record. */
import { requireAny, requirePermission } from '../authorize.ts';
import { userSchema, type User, type UserCreate, type UserUpdate } from '../../contracts/directory.ts';
import { SEARCHABLE } from '../../domain/directory-search.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { Caller } from '../../domain/caller.ts';
import { newId } from '../../domain/ids.ts';
import { findObjectIds, findUniqueOwner, getObjectItem, parseStored } from '../../store/directory-objects.ts';
import { identitiesOf, unlinkAllWrites } from '../../store/identities.ts';
import { allGroupIdsOf, removeMembership } from '../../store/memberships.ts';
import { MAX_WRITES_PER_CHANGE } from '../../store/transact.ts';
import type { Actor, Page, Services } from '../context.ts';
import { lastMemberHolder, membershipGuardWrites } from '../roles/holdings/group-guard.ts';
import { endActivationsAfterLeaving } from '../roles/holdings/activations-without-basis.ts';
import { assertHoldsNoRoles, assertHoldsNoRolesThroughGroups } from './assignment-guard.ts';
import { privilegeOf } from './privileged-principals.ts';
import { listDirectoryObjects, type ListOptions } from './list-objects.ts';
import { createObject, MAX_SEARCH_ENTRIES, removeObject, replaceObjectVersion, type ObjectKind, type UniqueValue } from './object-writes.ts';

const USER: ObjectKind = {
  type: 'user',
  category: 'UserManagement',
  targetType: 'User',
  activities: { add: 'Add user', update: 'Update user', delete: 'Delete user' },
  searchable: SEARCHABLE.user,
};

const upnGuard = (upn: string): UniqueValue => ({
  kind: 'UPN',
  value: upn,
  message: `Another object with the same value for property userPrincipalName ('${upn}') already exists.`,
});

const lookups = (user: User) => ({ mail: user.mail, name: user.displayName });

export async function createUser(svc: Services, actor: Actor, input: UserCreate): Promise<User> {
  await requirePermission(svc, actor, 'users.manage');
  const user: User = {
    id: newId('user', svc.clock),
    displayName: input.displayName,
    userPrincipalName: input.userPrincipalName,
    mail: input.mail ?? null,
    mailNickname: input.mailNickname ?? input.userPrincipalName.split('@')[0]!,
    givenName: input.givenName ?? null,
    surname: input.surname ?? null,
    jobTitle: input.jobTitle ?? null,
    department: input.department ?? null,
    officeLocation: input.officeLocation ?? null,
    mobilePhone: input.mobilePhone ?? null,
    businessPhones: input.businessPhones ?? [],
    accountEnabled: input.accountEnabled ?? true,
    usageLocation: input.usageLocation ?? null,
    preferredLanguage: input.preferredLanguage ?? null,
    employeeId: input.employeeId ?? null,
    companyName: input.companyName ?? null,
    createdDateTime: svc.clock.now().toISOString(),
  };
  return createObject(svc, actor, USER, user, lookups(user), [upnGuard(user.userPrincipalName)]);
}

/** Graph addresses a user by id or by userPrincipalName. */
export async function resolveUserId(svc: Services, idOrUpn: string): Promise<string | undefined> {
  return idOrUpn.includes('@') ? findUniqueOwner(svc.table, 'UPN', idOrUpn) : idOrUpn;
}

async function loadUser(svc: Services, idOrUpn: string) {
  const id = await resolveUserId(svc, idOrUpn);
  const item = id ? await getObjectItem(svc.table, id) : undefined;
  if (!item || item.type !== 'user')
    throw new NotFoundError(`Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`);
  return parseStored(item, userSchema);
}

export async function getUser(svc: Services, idOrUpn: string): Promise<User> {
  return (await loadUser(svc, idOrUpn)).data;
}

/** Graph's `/me`: the caller's own user; an app token has no "me", as in Graph. */
export async function getSignedInUser(svc: Services, caller: Caller): Promise<User> {
  if (caller.kind !== 'user') throw new BadRequestError('/me request is only valid with delegated authentication flow.', 'BadRequest');
  return getUser(svc, caller.id);
}

export async function listUsers(svc: Services, options: ListOptions): Promise<Page<User>> {
  return listDirectoryObjects(svc, 'user', userSchema, options, {
    indexed: { upn: 'userPrincipalName', mail: 'mail', name: 'displayName' },
    searchable: USER.searchable,
    find: async (by, value) => {
      if (by === 'upn') {
        const owner = await findUniqueOwner(svc.table, 'UPN', value);
        return owner ? [owner] : [];
      }
      return findObjectIds(svc.table, 'user', by, value);
    },
  });
}

/** Properties a Helpdesk Administrator may set: credentials, nothing that moves sign-in or mail. */
const CREDENTIALS: ReadonlySet<string> = new Set(['passwordProfile', 'passwordPolicies']);

/**
 * The caller must be some kind of user administrator before anything about the target is read; then the
 * target decides which: the highest roles for a privileged user, User Administrators (or Helpdesk
 * Administrators, for credentials alone) for everyone else.
 */
async function requireUserManager(svc: Services, actor: Actor): Promise<void> {
  await requireAny(svc, actor, ['users.manage', 'users.resetCredentials', 'privilegedUsers.manage']);
}

async function requireManagerOf(svc: Services, actor: Actor, user: User, credentialsOnly: boolean): Promise<void> {
  if (actor.system) return;
  const privilege = await privilegeOf(svc, user.id);
  if (privilege) {
    await requirePermission(svc, actor, 'privilegedUsers.manage', {
      because: `User '${user.userPrincipalName}' ${privilege}, so changing or deleting them is a sensitive action.`,
    });
    return;
  }
  await requirePermission(svc, actor, credentialsOnly ? 'users.resetCredentials' : 'users.manage');
}

export async function updateUser(svc: Services, actor: Actor, idOrUpn: string, patch: UserUpdate): Promise<User> {
  const credentialsOnly = Object.keys(patch).every((k) => CREDENTIALS.has(k));
  await requireUserManager(svc, actor);
  const current = await loadUser(svc, idOrUpn);
  await requireManagerOf(svc, actor, current.data, credentialsOnly);
  const { passwordProfile: _ignored, passwordPolicies: _alsoIgnored, otherMails: _notStored, ...changes } = patch;
  const next: User = { ...current.data, ...changes };
  const upnChanged = next.userPrincipalName.toLowerCase() !== current.data.userPrincipalName.toLowerCase();
  return replaceObjectVersion(svc, actor, USER, current, next, lookups(next), {
    release: upnChanged ? [upnGuard(current.data.userPrincipalName)] : [],
    reserve: upnChanged ? [upnGuard(next.userPrincipalName)] : [],
  });
}

export async function deleteUser(svc: Services, actor: Actor, idOrUpn: string): Promise<void> {
  await requireUserManager(svc, actor);
  const current = await loadUser(svc, idOrUpn);
  await requireManagerOf(svc, actor, current.data, false);
  await assertHoldsNoRoles(svc, current.data.id, current.data.displayName);
  await assertHoldsNoRolesThroughGroups(svc, current.data.id, current.data.displayName);
  const groupIds = await allGroupIdsOf(svc.table, current.data.id);
  // Each membership is three items (the group's, the member's mirror, the group's guard item); the user, its
  // UPN guard and the two protected roles' counters are four more, and its search entries.
  const removable = Math.floor((MAX_WRITES_PER_CHANGE - 4 - MAX_SEARCH_ENTRIES) / 3);
  if (groupIds.length > removable) {
    throw new ConflictError(
      `User '${current.data.userPrincipalName}' belongs to ${groupIds.length} groups; remove some memberships first (at most ${removable} can be removed with the user).`,
      'Request_TooManyMemberships',
    );
  }
  // A standing member of a group that holds Global Administrator counts as a holder: the guard moves with the memberships.
  const guard = await membershipGuardWrites(svc, 'user', groupIds, -1, lastMemberHolder(current.data.displayName));
  // Its sign-in identities go with it (and are named in its audit record): its tokens then lead nowhere.
  const identities = await identitiesOf(svc.table, current.data.id);
  await removeObject(
    svc,
    actor,
    USER,
    current,
    [upnGuard(current.data.userPrincipalName)],
    [...groupIds.flatMap((g) => removeMembership(g, current.data.id)), ...guard, ...unlinkAllWrites(current.data.id, identities, svc.clock.now())],
    identities.length > 0 ? { removedIdentities: identities.map((i) => `${i.issuer} ${i.subject}`).join(', ') } : undefined,
  );
  // Its activations through those groups end with the memberships (reads refuse them already).
  await endActivationsAfterLeaving(svc, actor, current.data.id);
}
