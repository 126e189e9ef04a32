/**
 * "Administrators aren't using their privileged roles": an eligibility for a privileged directory role
 * that has not been activated for the configured duration, counted from its start if it never was. Found
 * exactly at the threshold (the duration has fully passed). The remedy removes the eligibility.
 */
import type { AlertSchedule } from './snapshot.ts';
import { assigneeProperties, roleProperties, type SnapshotIndex } from './snapshot-index.ts';
import { incidentId } from './incident-id.ts';
import { durationSetting } from './settings.ts';
import type { AlertConfig, Incident } from './types.ts';

const TYPE = 'RedundantAssignmentAlert';

export function evaluateRedundant(index: SnapshotIndex, config: AlertConfig): Incident[] {
  const idleMs = durationSetting(TYPE, config, 'duration');
  const lastActivation = lastActivations(index);
  const now = index.now.getTime();
  return index.inForce.flatMap((e): Incident[] => {
    const role = e.kind === 'eligibility' ? index.privilegedRole(e.roleDefinitionId) : undefined;
    if (!role) return [];
    const last = lastActivation.get(e.id) ?? lastActivation.get(targetKey(e)) ?? null;
    if (now - Date.parse(last ?? e.startDateTime) < idleMs) return [];
    return [
      {
        id: incidentId(TYPE, e.principalId, role.id.toLowerCase(), e.directoryScopeId.toLowerCase()),
        alertType: TYPE,
        properties: { ...assigneeProperties(index, e.principalId), ...roleProperties(role), lastActivationDateTime: last },
        remedy: {
          kind: 'removeAssignment',
          scheduleId: e.id,
          scheduleKind: 'eligibility',
          principalId: e.principalId,
          roleDefinitionId: e.roleDefinitionId,
          directoryScopeId: e.directoryScopeId,
        },
      },
    ];
  });
}

const targetKey = (t: Pick<AlertSchedule, 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>) =>
  `${t.principalId}|${t.roleDefinitionId.toLowerCase()}|${t.directoryScopeId.toLowerCase()}`;

/**
 * The latest activation known for each eligibility id, and for each (principal, role, scope) whose
 * requests do not name their eligibility. ISO 8601 UTC strings compare in time order.
 */
function lastActivations(index: SnapshotIndex): Map<string, string> {
  const last = new Map<string, string>();
  const note = (key: string, at: string) => {
    const before = last.get(key);
    if (before === undefined || before < at) last.set(key, at);
  };
  for (const [eligibilityId, at] of Object.entries(index.snapshot.lastActivationByEligibility)) note(eligibilityId, at);
  for (const a of index.snapshot.activations) {
    if (Date.parse(a.createdDateTime) > index.now.getTime()) continue;
    note(a.activatedUsing ?? targetKey(a), a.createdDateTime);
  }
  return last;
}
