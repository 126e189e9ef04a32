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

export const PAGES: PageSpec[] = [
  { path: '/my-roles', title: 'My roles', component: lazy(() => import('./my-roles/my-roles-page.tsx')) },
  { path: '/my-requests', title: 'My requests', component: lazy(() => import('./my-requests/my-requests-page.tsx')) },
  { path: '/requests/:id', title: 'Request', component: RequestPage },
  // Approvers' email links: the same page, where the step waiting for them shows Approve and Deny.
  { path: '/approvals/:id', title: 'Approve request', component: RequestPage },
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
];
