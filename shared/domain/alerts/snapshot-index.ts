/**
 * The snapshot indexed once for all evaluators: roles, principals and groups by id, and who is in a group
 * now. Role ids are compared without regard to case (built-in roles are addressed by GUIDs in any case).
 */
import { isInForce } from '../schedule.ts';
import type { AlertGroup, AlertPrincipal, AlertRole, AlertSchedule, AlertSnapshot } from './snapshot.ts';

export interface SnapshotIndex {
  snapshot: AlertSnapshot;
  now: Date;
  role(id: string): AlertRole | undefined;
  /** The privileged directory role a schedule is of, if it is of one. */
  privilegedRole(roleDefinitionId: string): AlertRole | undefined;
  principal(id: string): AlertPrincipal | undefined;
  group(id: string): AlertGroup | undefined;
  /** Schedules in force at `now` (started, not ended). */
  inForce: AlertSchedule[];
  /** The principals in a group now: standing members and PIM for groups members in force. */
  membersNow(groupId: string): { id: string; type: AlertPrincipal['type'] }[];
}

export function indexSnapshot(snapshot: AlertSnapshot, now: Date): SnapshotIndex {
  const roles = new Map(snapshot.roles.map((r) => [r.id.toLowerCase(), r]));
  for (const r of snapshot.roles) if (!roles.has(r.templateId.toLowerCase())) roles.set(r.templateId.toLowerCase(), r);
  const principals = new Map(snapshot.principals.map((p) => [p.id, p]));
  const groups = new Map(snapshot.groups.map((g) => [g.id, g]));
  const role = (id: string) => roles.get(id.toLowerCase());
  return {
    snapshot,
    now,
    role,
    privilegedRole: (id) => {
      const found = role(id);
      return found?.isPrivileged ? found : undefined;
    },
    principal: (id) => principals.get(id),
    group: (id) => groups.get(id),
    inForce: snapshot.schedules.filter((s) => isInForce(s, now)),
    membersNow(groupId) {
      const group = groups.get(groupId);
      if (!group) return [];
      const members = new Map<string, AlertPrincipal['type']>();
      for (const m of group.standingMembers) members.set(m.id, m.type);
      for (const m of group.pimMembers) if (isInForce(m, now)) members.set(m.principalId, m.principalType);
      return [...members].map(([id, type]) => ({ id, type }));
    },
  };
}

/** The assignee and role properties most incident types share. */
export function assigneeProperties(index: SnapshotIndex, principalId: string) {
  const p = index.principal(principalId);
  return {
    assigneeId: principalId,
    assigneeDisplayName: p?.displayName ?? null,
    assigneeUserPrincipalName: p?.userPrincipalName ?? null,
  };
}

export function roleProperties(role: AlertRole) {
  return { roleDefinitionId: role.id, roleDisplayName: role.displayName, roleTemplateId: role.templateId };
}
