/**
 * A deployment's first Global Administrator, named at deploy time (the stack's custom resource) so a
 * fresh tenant is never locked out: the user is put in the directory if missing, and given a permanent
 * active Global Administrator assignment unless they hold one already. Running it again changes nothing.
 */
import { BUILTIN_ROLE_IDS } from '../../domain/builtin-roles.ts';
import { SYSTEM_CALLER } from '../../domain/caller.ts';
import type { Actor, Services } from '../context.ts';
import { createUser, resolveUserId } from '../directory/users.ts';
import { holdingsOf } from '../roles/holdings/principal-access.ts';
import { bootstrapGlobalAdministrator } from '../roles/requests/submit-request.ts';

export interface FirstAdministrator {
  userPrincipalName: string;
  displayName?: string;
}

export async function ensureFirstAdministrator(
  svc: Services,
  who: FirstAdministrator,
  correlationId: string,
): Promise<{ userId: string; created: boolean; assigned: boolean }> {
  const actor: Actor = { caller: SYSTEM_CALLER, correlationId, system: true };
  let userId = await resolveUserId(svc, who.userPrincipalName);
  const created = !userId;
  if (!userId) {
    const user = await createUser(svc, actor, {
      userPrincipalName: who.userPrincipalName,
      displayName: who.displayName ?? who.userPrincipalName.split('@')[0]!,
      mail: who.userPrincipalName,
      accountEnabled: true,
    });
    userId = user.id;
  }
  const now = svc.clock.now();
  const holds = (await holdingsOf(svc, userId, 'assignment')).some(
    (h) =>
      !h.viaGroupId &&
      h.schedule.roleDefinitionId === BUILTIN_ROLE_IDS.globalAdministrator &&
      h.schedule.directoryScopeId === '/' &&
      h.schedule.endDateTime === null &&
      Date.parse(h.schedule.startDateTime) <= now.getTime(),
  );
  if (!holds) await bootstrapGlobalAdministrator(svc, actor, userId);
  return { userId, created, assigned: !holds };
}
