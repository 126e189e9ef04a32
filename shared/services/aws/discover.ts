/** Discovery: the managed permission sets as AWS roles, and the organization's tree, read from AWS now. */
import type { Actor, Services } from '../context.ts';
import { refreshOrganization } from './organization.ts';
import { refreshAwsRoles, type RefreshReport } from './role-definitions.ts';

export interface DiscoveryReport {
  roleDefinitions: RefreshReport;
  organization: Awaited<ReturnType<typeof refreshOrganization>>;
}

export async function discoverAws(svc: Services, actor: Actor): Promise<DiscoveryReport> {
  const [roleDefinitions, organization] = await Promise.all([refreshAwsRoles(svc, actor), refreshOrganization(svc)]);
  return { roleDefinitions, organization };
}
