/**
 * Brings the stored alerts in line with what an evaluation found, writing only what changed: new and
 * changed incidents are put (keeping when each was first seen), incidents whose condition has gone are
 * deleted, and each alert's state (count, active, last scanned) is put last, conditioned on its version.
 * An alert that becomes active or resolved has its audit record in the same transaction as its state.
 * Run only by the holder of the evaluation lease (refresh.ts).
 */
import { ALERT_DEFINITIONS, alertIdOf } from '../../domain/alerts/definitions.ts';
import type { AlertFindings, AlertType, Incident } from '../../domain/alerts/types.ts';
import { ConflictError } from '../../domain/errors.ts';
import {
  allIncidents,
  putAlertState,
  readAlertRecords,
  writeIncidents,
  type AlertRecords,
  type AlertState,
  type StoredIncident,
  type Versioned,
} from '../../store/alerts.ts';
import { commitChange, runWrite } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, Services } from '../context.ts';

export interface AlertChange {
  alertType: AlertType;
  incidents: number;
  added: number;
  removed: number;
  becameActive: boolean;
}

const sameIncident = (a: Incident, b: Incident) => JSON.stringify([a.properties, a.remedy]) === JSON.stringify([b.properties, b.remedy]);

/** Active while it has incidents, unless dismissed and nothing new was found since. */
export function isActiveNow(state: Pick<AlertState, 'dismissedDateTime'>, incidents: readonly Pick<StoredIncident, 'firstSeenDateTime'>[]): boolean {
  if (incidents.length === 0) return false;
  const dismissed = state.dismissedDateTime;
  return dismissed === null || incidents.some((i) => i.firstSeenDateTime > dismissed);
}

export function alertTarget(type: AlertType) {
  return { id: alertIdOf(type), displayName: ALERT_DEFINITIONS[type].displayName, type: 'Other' as const, modifiedProperties: [] };
}

async function applyOne(svc: Services, actor: Actor, type: AlertType, found: Incident[], current: Versioned<AlertState>, now: Date): Promise<AlertChange> {
  const at = now.toISOString();
  const stored = new Map((await allIncidents(svc.table, type)).map((i) => [i.id, i]));
  const wanted = new Map(found.map((i) => [i.id, i]));
  const next: StoredIncident[] = [...wanted.values()].map((i) => ({ ...i, firstSeenDateTime: stored.get(i.id)?.firstSeenDateTime ?? at }));
  const puts = next.filter((i) => {
    const before = stored.get(i.id);
    return !before || !sameIncident(before, i);
  });
  const deletes = [...stored.keys()].filter((id) => !wanted.has(id)).map((id) => ({ alertType: type, id }));
  await writeIncidents(svc.table, puts, deletes);

  for (let attempt = 0; ; attempt++) {
    const state = attempt === 0 ? current : (await readAlertRecords(svc.table)).states.get(type)!;
    const active = isActiveNow(state.data, next);
    const changed = puts.length > 0 || deletes.length > 0 || active !== state.data.isActive;
    const after: AlertState = {
      ...state.data,
      isActive: active,
      incidentCount: next.length,
      lastScannedDateTime: at,
      lastModifiedDateTime: changed ? at : state.data.lastModifiedDateTime,
    };
    try {
      if (active !== state.data.isActive) {
        const audit = auditOf(svc, actor, {
          // Entra's activity names for an alert that fires and one whose condition has gone.
          category: 'RoleManagement',
          activity: active ? 'Triggered PIM alert' : 'Resolved PIM alert',
          operationType: 'Update',
          targets: [alertTarget(type)],
          details: { severity: ALERT_DEFINITIONS[type].severityLevel, incidentCount: String(next.length) },
        });
        await commitChange(svc.table, [putAlertState(after, state.version)], audit);
      } else {
        await runWrite(svc.table, putAlertState(after, state.version));
      }
      return {
        alertType: type,
        incidents: next.length,
        added: puts.filter((p) => !stored.has(p.id)).length,
        removed: deletes.length,
        becameActive: active && !state.data.isActive,
      };
    } catch (error) {
      // Dismissed (or its settings scanned) between the read and this write: read it again.
      if (error instanceof ConflictError && attempt < 4) continue;
      throw error;
    }
  }
}

/** Applies the findings of the alert types evaluated (an alert not evaluated is left as it is). */
export async function applyFindings(
  svc: Services,
  actor: Actor,
  findings: Partial<AlertFindings>,
  { states }: Pick<AlertRecords, 'states'>,
  now: Date,
): Promise<AlertChange[]> {
  const changes: AlertChange[] = [];
  for (const [type, found] of Object.entries(findings) as [AlertType, Incident[]][]) {
    changes.push(await applyOne(svc, actor, type, found, states.get(type)!, now));
  }
  return changes;
}
