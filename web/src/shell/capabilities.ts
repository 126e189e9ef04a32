/**
 * What the signed-in person may manage, from a live check of Stint's own authorization (AuthZEN
 * evaluations with Stint's permission names) at sign-in and when the window regains focus: never from
 * cached group names, so a role that just expired hides its pages at once. The API still decides every
 * call; this only decides which pages to offer.
 */
import type { Api } from '../api/client.ts';

export const CHECKED = [
  'roleAssignments.manage',
  'roleAssignments.readAll',
  'policies.manage',
  'policies.read',
  'users.manage',
  'groups.manage',
  'servicePrincipals.manage',
  'groupAccess.manage',
  'accessReviews.manage',
  'accessReviews.readAll',
  'audit.readAll',
  'alerts.read',
  'alerts.manage',
] as const;

export type Capability = (typeof CHECKED)[number];
export type Capabilities = Record<Capability, boolean>;

export const NONE: Capabilities = Object.fromEntries(CHECKED.map((c) => [c, false])) as Capabilities;

interface EvaluationsAnswer {
  evaluations?: { decision: boolean }[];
}

export async function loadCapabilities(api: Api, userId: string): Promise<Capabilities> {
  const answer = await api.post<EvaluationsAnswer>('/access/v1/evaluations', {
    subject: { type: 'user', id: userId },
    resource: { type: 'scope', id: '/' },
    evaluations: CHECKED.map((permission) => ({ action: { name: `stint/${permission}` } })),
  });
  const decisions = answer.evaluations ?? [];
  return Object.fromEntries(CHECKED.map((c, i) => [c, decisions[i]?.decision === true])) as Capabilities;
}

export function canManage(c: Capabilities): boolean {
  return c['roleAssignments.readAll'] || c['roleAssignments.manage'] || c['groupAccess.manage'] || c['users.manage'] || c['groups.manage'];
}
