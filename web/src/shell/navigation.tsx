/** Entra PIM's navigation: Tasks, Manage (only for those who may, from the live check), Activity. */
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import { follow, href } from '../router.tsx';
import type { Capabilities } from './capabilities.ts';

export function navigationItems(c: Capabilities): SideNavigationProps.Item[] {
  const manage: SideNavigationProps.Link[] = [];
  if (c['roleAssignments.readAll'] || c['roleAssignments.manage']) manage.push({ type: 'link', text: 'Microsoft Entra roles', href: href('/manage/roles') });
  if (c['policies.read'] || c['policies.manage']) manage.push({ type: 'link', text: 'Role settings', href: href('/manage/role-settings') });
  if (c['groupAccess.manage'] || c['groups.manage']) manage.push({ type: 'link', text: 'Groups', href: href('/manage/groups') });
  if (c['alerts.read']) manage.push({ type: 'link', text: 'Alerts', href: href('/manage/alerts') });
  if (c['accessReviews.manage'] || c['accessReviews.readAll']) manage.push({ type: 'link', text: 'Access reviews', href: href('/manage/access-reviews') });
  if (c['roleAssignments.readAll']) manage.push({ type: 'link', text: 'Discovery and insights', href: href('/manage/insights') });
  if (c['users.manage'] || c['groups.manage'] || c['servicePrincipals.manage'])
    manage.push({ type: 'link', text: 'Directory', href: href('/manage/directory') });
  const activity: SideNavigationProps.Link[] = [{ type: 'link', text: 'My audit', href: href('/activity/my-audit') }];
  if (c['audit.readAll']) activity.unshift({ type: 'link', text: 'Resource audit', href: href('/activity/resource-audit') });
  return [
    {
      type: 'section-group',
      title: 'Tasks',
      items: [
        { type: 'link', text: 'My roles', href: href('/my-roles') },
        { type: 'link', text: 'My requests', href: href('/my-requests') },
        { type: 'link', text: 'Approve requests', href: href('/approve-requests') },
        { type: 'link', text: 'Review access', href: href('/review-access') },
      ],
    },
    ...(manage.length ? [{ type: 'section-group' as const, title: 'Manage', items: manage }] : []),
    { type: 'section-group', title: 'Activity', items: activity },
  ];
}

export function Navigation({ capabilities, activeHref }: { capabilities: Capabilities; activeHref: string }) {
  return (
    <SideNavigation
      header={{ text: 'Privileged Identity Management', href: href('/my-roles') }}
      activeHref={activeHref}
      items={navigationItems(capabilities)}
      onFollow={follow}
    />
  );
}
