/** Users made eligible for a role through the real use cases (and so with their slots, guards and audit), for the benchmarks. */
import type { Actor, Services } from '../../shared/services/context.ts';
import { createUser } from '../../shared/services/directory/users.ts';
import { submitRoleRequest } from '../../shared/services/roles/requests/submit-request.ts';
import { load } from './stats.ts';

export async function makeEligibleUsers(svc: Services, admin: Actor, o: { count: number; tag: string; roleId: string; duration: string; clients?: number }) {
  const users: { id: string; userPrincipalName: string }[] = [];
  await load(o.clients ?? 1, o.count, async (i) => {
    const user = await createUser(svc, admin, { displayName: `Bench ${o.tag} ${i}`, userPrincipalName: `bench.${o.tag}.${i}@contoso.test` });
    await submitRoleRequest(svc, admin, 'eligibility', {
      action: { sent: 'adminAssign', canonical: 'adminAssign' },
      principalId: user.id,
      roleDefinitionId: o.roleId,
      directoryScopeId: '/',
      justification: 'benchmark',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: o.duration } },
    });
    users[i] = user;
  });
  return users;
}
