/**
 * A user's sign-in identities (Graph's `identities`: objectIdentity). Linking an identity to a user is
 * letting whoever holds it sign in as that user, so an administrator's link needs the powers that hand
 * out roles (Privileged Role Administrator, Global Administrator); a link made at sign-in follows the
 * rules in sign-in.ts. Every link is one transaction with its audit record.
 */
import type { ObjectIdentity } from '../../contracts/directory.ts';
import { ConflictError, ForbiddenError } from '../../domain/errors.ts';
import { identitiesOf, linkWrites } from '../../store/identities.ts';
import { commitChange } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { getUser } from './users.ts';

export const IDENTITY_ALREADY_LINKED = 'Identity_AlreadyLinked';
export const USER_ALREADY_LINKED = 'Identity_UserAlreadyLinked';

const asObjectIdentity = (i: { issuer: string; subject: string }): ObjectIdentity => ({
  signInType: 'federated',
  issuer: i.issuer,
  issuerAssignedId: i.subject,
});

/**
 * Links (issuer, subject) to the user. From a sign-in, only to a user with no identity yet; by an
 * administrator, beside the ones they have. Never an identity already linked.
 */
export async function linkIdentity(
  svc: Services,
  actor: Actor,
  userId: string,
  identity: { issuer: string; subject: string },
  via: 'sign-in' | 'administrator',
): Promise<void> {
  const user = await getUser(svc, userId);
  const writes = linkWrites(
    { ...identity, userId: user.id, linkedDateTime: svc.clock.now().toISOString() },
    {
      onlyLink: via === 'sign-in',
      onLinked: () =>
        new ConflictError(`The identity '${identity.subject}' of issuer '${identity.issuer}' is already linked to a user.`, IDENTITY_ALREADY_LINKED),
      onUserLinked: () => new ForbiddenError(`The user '${user.userPrincipalName}' already has a sign-in identity.`, USER_ALREADY_LINKED),
    },
  );
  // At sign-in the user is the actor; their names are the directory's, as everywhere.
  const by = via === 'sign-in' ? { ...actor, caller: { ...actor.caller, displayName: user.displayName, userPrincipalName: user.userPrincipalName } } : actor;
  const audit = auditOf(svc, by, {
    category: 'UserManagement',
    activity: 'Link sign-in identity',
    operationType: 'Update',
    targets: [
      {
        id: user.id,
        displayName: user.displayName,
        type: 'User',
        userPrincipalName: user.userPrincipalName,
        modifiedProperties: [{ displayName: 'identities', oldValue: null, newValue: JSON.stringify(asObjectIdentity(identity)) }],
      },
    ],
    details: { issuer: identity.issuer, issuerAssignedId: identity.subject, linkedBy: via },
  });
  await commitChange(svc.table, writes, audit);
}

export async function addUserIdentity(svc: Services, actor: Actor, idOrUpn: string, identity: ObjectIdentity): Promise<ObjectIdentity> {
  await requirePermission(svc, actor, 'identities.manage');
  const { id } = await getUser(svc, idOrUpn);
  await linkIdentity(svc, actor, id, { issuer: identity.issuer, subject: identity.issuerAssignedId }, 'administrator');
  return asObjectIdentity({ issuer: identity.issuer, subject: identity.issuerAssignedId });
}

export async function listUserIdentities(svc: Services, actor: Actor, idOrUpn: string): Promise<ObjectIdentity[]> {
  await requirePermission(svc, actor, 'identities.read');
  const { id } = await getUser(svc, idOrUpn);
  return (await identitiesOf(svc.table, id)).map(asObjectIdentity);
}
