/**
 * "Potential stale accounts in a privileged role": a user holding a privileged directory role directly
 * (eligible, or active by an administrator's assignment) who has not signed in for the configured
 * duration, counted from the assignment's creation if they never did. Found exactly at the threshold.
 * Activations are left out: the eligibility behind one is the assignment to remove.
 */
import { assigneeProperties, roleProperties, type SnapshotIndex } from './snapshot-index.ts';
import { incidentId } from './incident-id.ts';
import { durationSetting } from './settings.ts';
import type { AlertConfig, Incident } from './types.ts';

const TYPE = 'StaleSignInAlert';

export function evaluateStaleSignIn(index: SnapshotIndex, config: AlertConfig): Incident[] {
  const idleMs = durationSetting(TYPE, config, 'duration');
  const now = index.now.getTime();
  return index.inForce.flatMap((s): Incident[] => {
    const role = s.principalType === 'user' && s.assignmentType !== 'Activated' ? index.privilegedRole(s.roleDefinitionId) : undefined;
    if (!role) return [];
    const lastSignIn = index.principal(s.principalId)?.lastSignInDateTime ?? null;
    if (now - Date.parse(lastSignIn ?? s.createdDateTime) < idleMs) return [];
    return [
      {
        id: incidentId(TYPE, s.principalId, role.id.toLowerCase(), s.directoryScopeId.toLowerCase(), s.kind),
        alertType: TYPE,
        properties: {
          ...assigneeProperties(index, s.principalId),
          ...roleProperties(role),
          assignmentCreatedDateTime: s.createdDateTime,
          lastSignInDateTime: lastSignIn,
        },
        remedy: {
          kind: 'removeAssignment',
          scheduleId: s.id,
          scheduleKind: s.kind,
          principalId: s.principalId,
          roleDefinitionId: s.roleDefinitionId,
          directoryScopeId: s.directoryScopeId,
        },
      },
    ];
  });
}
