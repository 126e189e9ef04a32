/**
 * The demo tenant created on a fresh local table: people to sign in as, and groups to play with.
 * It goes through the same use cases (and audit) as API calls, acting as the system; admin@contoso.test
 * becomes the tenant's permanent active Global Administrator.
 */
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import type { Actor, Services } from '../../shared/services/context.ts';
import { addGroupMember, createGroup } from '../../shared/services/directory/groups.ts';
import { createServicePrincipal } from '../../shared/services/directory/service-principals.ts';
import { createUser, resolveUserId } from '../../shared/services/directory/users.ts';
import { bootstrapGlobalAdministrator } from '../../shared/services/roles/requests/submit-request.ts';

export const DEMO_DOMAIN = 'contoso.test';
export const DEMO_ADMIN = `admin@${DEMO_DOMAIN}`;

const PEOPLE: [alias: string, name: string, job: string, department: string][] = [
  ['admin', 'Ada Admin', 'Identity Administrator', 'IT'],
  ['sam.rivera', 'Sam Rivera', 'Site Reliability Engineer', 'Platform'],
  ['priya.nair', 'Priya Nair', 'Security Analyst', 'Security'],
  ['tom.becker', 'Tom Becker', 'Helpdesk Lead', 'IT'],
  ['mei.chen', 'Mei Chen', 'Platform Engineer', 'Platform'],
  ['omar.haddad', 'Omar Haddad', 'Security Engineer', 'Security'],
  ['lena.fischer', 'Lena Fischer', 'Engineering Manager', 'Platform'],
  ['jon.ade', 'Jon Ade', 'Helpdesk Technician', 'IT'],
  ['rosa.lopez', 'Rosa Lopez', 'Auditor', 'Compliance'],
  ['kai.tanaka', 'Kai Tanaka', 'Developer', 'Product'],
];

/** The demo people as the identity store knows them (infra/local/aws-seed.ts): userName = userPrincipalName. */
export function demoPeople(): { userPrincipalName: string; displayName: string; mail: string }[] {
  return PEOPLE.map(([alias, displayName]) => ({ userPrincipalName: `${alias}@${DEMO_DOMAIN}`, displayName, mail: `${alias}@${DEMO_DOMAIN}` }));
}

const GROUPS: { displayName: string; mailNickname: string; description: string; isAssignableToRole: boolean; members: string[] }[] = [
  {
    displayName: 'Security Operations',
    mailNickname: 'secops',
    description: 'Security analysts and engineers.',
    isAssignableToRole: true,
    members: ['priya.nair', 'omar.haddad'],
  },
  {
    displayName: 'Platform Engineering',
    mailNickname: 'platform',
    description: 'Runs the production platform.',
    isAssignableToRole: true,
    members: ['sam.rivera', 'mei.chen', 'lena.fischer'],
  },
  { displayName: 'Helpdesk', mailNickname: 'helpdesk', description: 'First-line support.', isAssignableToRole: false, members: ['tom.becker', 'jon.ade'] },
];

export async function seedDemoTenant(services: Services): Promise<'seeded' | 'present'> {
  if (await resolveUserId(services, DEMO_ADMIN)) return 'present';
  const actor: Actor = { caller: SYSTEM_CALLER, correlationId: 'seed', system: true };
  const ids = new Map<string, string>();
  for (const [alias, displayName, jobTitle, department] of PEOPLE) {
    const [givenName, surname] = displayName.split(' ');
    const upn = `${alias}@${DEMO_DOMAIN}`;
    const user = await createUser(services, actor, {
      userPrincipalName: upn,
      displayName,
      givenName,
      surname,
      jobTitle,
      department,
      mail: upn,
      accountEnabled: true,
    });
    ids.set(alias, user.id);
  }
  for (const spec of GROUPS) {
    const group = await createGroup(services, actor, {
      displayName: spec.displayName,
      mailNickname: spec.mailNickname,
      description: spec.description,
      mailEnabled: false,
      securityEnabled: true,
      isAssignableToRole: spec.isAssignableToRole,
    });
    for (const alias of spec.members) await addGroupMember(services, actor, group.id, `/directoryObjects/${ids.get(alias)}`);
  }
  await createServicePrincipal(services, actor, { appId: 'deploy-pipeline', displayName: 'Deploy Pipeline', servicePrincipalType: 'Application' });
  await bootstrapGlobalAdministrator(services, actor, ids.get('admin')!);
  return 'seeded';
}
