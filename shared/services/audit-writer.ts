/** Builds the audit record for a change from the actor and the clock, ready for commitChange. */
import { buildAuditRecord, type AuditCategory, type OperationType, type TargetResource } from '../domain/audit.ts';
import { newId } from '../domain/ids.ts';
import type { Actor, Services } from './context.ts';

export interface AuditSpec {
  category: AuditCategory;
  activity: string;
  operationType: OperationType;
  targets: TargetResource[];
  details?: Record<string, string>;
}

export function auditOf(svc: Services, actor: Actor, spec: AuditSpec, at = svc.clock.now()) {
  const record = buildAuditRecord({
    id: newId('audit', svc.clock),
    correlationId: actor.correlationId,
    at,
    caller: actor.caller,
    ...spec,
    activity: spec.activity,
  });
  // Records are chained per target object so an object's whole history is one query.
  return { record, chainId: spec.targets[0]?.id ?? 'directory' };
}
