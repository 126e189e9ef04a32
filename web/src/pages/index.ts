/**
 * Every page of the portal: its URL, its title, who sees it in the navigation, and its code (loaded on
 * first visit, so the first screen carries only the shell).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Capabilities } from '../shell/capabilities.ts';

export interface PageProps {
  params: Record<string, string>;
}

export interface PageSpec {
  path: string;
  title: string;
  component: LazyExoticComponent<ComponentType<PageProps>>;
  /** Shown only to those who may (a live check); everyone else gets the page's own refusal from the API. */
  requires?: (c: Capabilities) => boolean;
}

const RequestPage = lazy(() => import('./my-requests/request-page.tsx'));
const mayManageDirectory = (c: Capabilities) => c['users.manage'] || c['groups.manage'] || c['servicePrincipals.manage'];
const AddAssignments = lazy(() => import('./manage-roles/add-assignments-page.tsx'));
const manageRoles = (c: Capabilities) => c['roleAssignments.readAll'] || c['roleAssignments.manage'];

/**
 * The pages people land on first (the home page, email links): their code is fetched while sign-in and
 * "who am I" are still on the wire, instead of after.
 */
export const PRELOAD: [string, () => Promise<unknown>][] = [
  ['/', () => import('./my-roles/my-roles-page.tsx')],
  ['/my-roles', () => import('./my-roles/my-roles-page.tsx')],
  ['/requests/:id', () => import('./my-requests/request-page.tsx')],
  ['/approvals/:id', () => import('./my-requests/request-page.tsx')],
];

export const PAGES: PageSpec[] = [
  { path: '/my-roles', title: 'My roles', component: lazy(() => import('./my-roles/my-roles-page.tsx')) },
  { path: '/my-requests', title: 'My requests', component: lazy(() => import('./my-requests/my-requests-page.tsx')) },
  { path: '/requests/:id', title: 'Request', component: RequestPage },
  // Approvers' email links: the same page, where the step waiting for them shows Approve and Deny.
  { path: '/approvals/:id', title: 'Approve request', component: RequestPage },
  { path: '/manage/roles', title: 'Roles', component: lazy(() => import('./manage-roles/roles-page.tsx')), requires: manageRoles },
  { path: '/manage/roles/:roleId', title: 'Role assignments', component: lazy(() => import('./manage-roles/role-page.tsx')), requires: manageRoles },
  { path: '/manage/roles/:roleId/add-assignments', title: 'Add assignments', component: AddAssignments, requires: manageRoles },
  { path: '/manage/add-assignments', title: 'Add assignments', component: AddAssignments, requires: manageRoles },
  {
    path: '/manage/role-settings',
    title: 'Role settings',
    component: lazy(() => import('./role-settings/role-settings-page.tsx')),
    requires: (c) => c['policies.read'] || c['policies.manage'],
  },
  // Before ':roleId', which would take 'bulk' for a role's id.
  {
    path: '/manage/role-settings/bulk',
    title: 'Edit settings for several roles',
    component: lazy(() => import('./role-settings/bulk-edit-page.tsx')),
    requires: (c) => c['policies.manage'],
  },
  {
    path: '/manage/role-settings/:roleId',
    title: 'Role setting details',
    component: lazy(() => import('./role-settings/role-setting-page.tsx')),
    requires: (c) => c['policies.read'] || c['policies.manage'],
  },
  {
    path: '/manage/groups',
    title: 'Groups',
    component: lazy(() => import('./manage-groups/groups-page.tsx')),
    requires: (c) => c['groupAccess.manage'] || c['groups.manage'],
  },
  {
    path: '/manage/groups/:groupId',
    title: 'Group',
    component: lazy(() => import('./manage-groups/group-page.tsx')),
    requires: (c) => c['groupAccess.manage'] || c['groups.manage'],
  },
  { path: '/activity/resource-audit', title: 'Resource audit', component: lazy(() => import('./activity/resource-audit-page.tsx')) },
  { path: '/activity/my-audit', title: 'My audit', component: lazy(() => import('./activity/my-audit-page.tsx')) },
  { path: '/manage/directory', title: 'Directory', component: lazy(() => import('./directory/directory-page.tsx')), requires: mayManageDirectory },
  { path: '/manage/directory/users/:id', title: 'User', component: lazy(() => import('./directory/user-page.tsx')), requires: mayManageDirectory },
  { path: '/manage/directory/groups/:id', title: 'Group', component: lazy(() => import('./directory/group-page.tsx')), requires: mayManageDirectory },
  {
    path: '/manage/directory/servicePrincipals/:id',
    title: 'Service principal',
    component: lazy(() => import('./directory/service-principal-page.tsx')),
    requires: mayManageDirectory,
  },
  {
    path: '/manage/access-reviews',
    title: 'Access reviews',
    component: lazy(() => import('./manage-reviews/reviews-page.tsx')),
    requires: (c) => c['accessReviews.manage'] || c['accessReviews.readAll'],
  },
  {
    path: '/manage/access-reviews/new',
    title: 'New access review',
    component: lazy(() => import('./manage-reviews/new-review-page.tsx')),
    requires: (c) => c['accessReviews.manage'],
  },
  {
    path: '/manage/access-reviews/:id',
    title: 'Access review',
    component: lazy(() => import('./manage-reviews/review-page.tsx')),
    requires: (c) => c['accessReviews.manage'] || c['accessReviews.readAll'],
  },
  { path: '/manage/alerts', title: 'Alerts', component: lazy(() => import('./alerts/alerts-page.tsx')), requires: (c) => c['alerts.read'] },
  // Before ':id', which would take 'settings' for an alert's id.
  {
    path: '/manage/alerts/settings',
    title: 'Alert settings',
    component: lazy(() => import('./alerts/alert-settings-page.tsx')),
    requires: (c) => c['alerts.read'],
  },
  { path: '/manage/alerts/:id', title: 'Alert', component: lazy(() => import('./alerts/alert-page.tsx')), requires: (c) => c['alerts.read'] },
  {
    path: '/manage/insights',
    title: 'Discovery and insights',
    component: lazy(() => import('./insights/insights-page.tsx')),
    requires: (c) => c['roleAssignments.readAll'],
  },
  { path: '/approve-requests', title: 'Approve requests', component: lazy(() => import('./approve-requests/approve-requests-page.tsx')) },
  { path: '/review-access', title: 'Review access', component: lazy(() => import('./review-access/review-access-page.tsx')) },
  { path: '/reviews/:definitionId/:instanceId', title: 'Access review', component: lazy(() => import('./review-access/review-instance-page.tsx')) },
];
