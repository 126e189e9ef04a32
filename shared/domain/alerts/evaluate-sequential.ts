/**
 * "Roles are being activated too frequently": a principal who activated the same privileged directory
 * role at least `sequentialActivationCounterThreshold` times within `timeIntervalBetweenActivations` (a
 * sliding window; the first and last activation of a run at most that far apart). One incident per
 * principal and role, naming its largest run (the earliest of equal ones). No remedy: Entra's advice is
 * to review the role's activation duration.
 */
import type { AlertActivation } from './snapshot.ts';
import { assigneeProperties, roleProperties, type SnapshotIndex } from './snapshot-index.ts';
import { incidentId } from './incident-id.ts';
import { durationSetting, numberSetting } from './settings.ts';
import type { AlertConfig, Incident } from './types.ts';

const TYPE = 'SequentialActivationRenewalsAlert';

export function evaluateSequential(index: SnapshotIndex, config: AlertConfig): Incident[] {
  const threshold = numberSetting(TYPE, config, 'sequentialActivationCounterThreshold');
  const windowMs = durationSetting(TYPE, config, 'timeIntervalBetweenActivations');
  const byTarget = new Map<string, number[]>();
  for (const a of index.snapshot.activations) {
    const at = Date.parse(a.createdDateTime);
    if (at > index.now.getTime() || !index.privilegedRole(a.roleDefinitionId)) continue;
    const times = byTarget.get(targetKey(a));
    if (times) times.push(at);
    else byTarget.set(targetKey(a), [at]);
  }
  const incidents: Incident[] = [];
  for (const [key, times] of byTarget) {
    const run = largestRun(
      times.sort((x, y) => x - y),
      windowMs,
    );
    if (run.count < threshold) continue;
    const [principalId, roleId] = key.split('|') as [string, string];
    const role = index.privilegedRole(roleId)!;
    incidents.push({
      id: incidentId(TYPE, principalId, role.id.toLowerCase()),
      alertType: TYPE,
      properties: {
        ...assigneeProperties(index, principalId),
        ...roleProperties(role),
        activationCount: run.count,
        sequenceStartDateTime: new Date(run.start).toISOString(),
        sequenceEndDateTime: new Date(run.end).toISOString(),
      },
      remedy: null,
    });
  }
  return incidents;
}

const targetKey = (a: AlertActivation) => `${a.principalId}|${a.roleDefinitionId.toLowerCase()}`;

/** The most activations within one window (two pointers over sorted times). */
function largestRun(times: number[], windowMs: number): { count: number; start: number; end: number } {
  let best = { count: 0, start: 0, end: 0 };
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! > windowMs) first++;
    const count = last - first + 1;
    if (count > best.count) best = { count, start: times[first]!, end: times[last]! };
  }
  return best;
}
