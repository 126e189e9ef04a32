/**
 * Each Stint user's Identity Center user, matched once — when an AWS eligibility or assignment is first
 * created for them — by identity-store userName equal to their userPrincipalName, and stored. Grants
 * only ever use the stored id: nothing is guessed at grant time, and an email that two people share
 * can never send one person's access to the other.
 */
import { BadRequestError, ConflictError } from '../../domain/errors.ts';
import { buildAuditRecord } from '../../domain/audit.ts';
import { newId } from '../../domain/ids.ts';
import { getAwsUserLink, putAwsUserLink, type AwsUserLink } from '../../store/aws-directory.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import type { Principal } from '../roles/holdings/principal-access.ts';
import { awsCall } from './aws-call.ts';
import { connected } from './role-definitions.ts';

export async function storedLink(svc: Services, userId: string): Promise<AwsUserLink | undefined> {
  return getAwsUserLink(svc.table, userId);
}

/** The stored link, or a new one matched now; a 400 naming what to fix when Identity Center has no such user. */
export async function linkUser(svc: Services, actor: Actor, principal: Principal): Promise<AwsUserLink> {
  const existing = await getAwsUserLink(svc.table, principal.id);
  if (existing) return existing;
  const upn = principal.userPrincipalName;
  const aws = connected(svc);
  const identityStoreUserId = upn ? await awsCall(() => aws.center.findUserIdByUserName(upn)) : undefined;
  if (!upn || !identityStoreUserId) {
    throw new BadRequestError(
      `${principal.displayName} has no user in IAM Identity Center (identity store ${aws.center.identityStoreId}) whose user name is '${upn ?? ''}'. ` +
        'Create or provision that user in Identity Center (user name = their userPrincipalName), then assign again.',
      'AwsUserNotFound',
    );
  }
  const now = svc.clock.now();
  const link: AwsUserLink = { userId: principal.id, identityStoreUserId, userName: upn, matchedDateTime: now.toISOString() };
  const record = buildAuditRecord({
    id: newId('audit', svc.clock),
    correlationId: actor.correlationId,
    at: now,
    caller: actor.caller,
    category: 'UserManagement',
    activity: 'Link user to IAM Identity Center user',
    operationType: 'Update',
    targets: [
      {
        id: principal.id,
        displayName: principal.displayName,
        type: 'User',
        userPrincipalName: upn,
        modifiedProperties: [{ displayName: 'awsIdentityStoreUserId', oldValue: null, newValue: identityStoreUserId }],
      },
    ],
  });
  try {
    await commitChange(svc.table, putAwsUserLink(link), { record, chainId: principal.id });
  } catch (error) {
    // Matched by a parallel request a moment ago: theirs stands.
    const raced = error instanceof ConflictError && error.code === 'Request_ConcurrentModification' ? await getAwsUserLink(svc.table, principal.id) : undefined;
    if (raced) return raced;
    throw error;
  }
  return link;
}
