/**
 * An instance and its definition moving together (starting, ending, applying): both conditional on the
 * versions read, in one transaction with the review's audit record. Returns them as now stored.
 */
import type { DefinitionData, InstanceData } from '../../domain/access-reviews/model.ts';
import { replaceDefinition, replaceInstance, type Versioned } from '../../store/access-reviews.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { auditReview } from './definitions.ts';

export async function moveTogether(
  svc: Services,
  actor: Actor,
  from: { def: Versioned<DefinitionData>; instance: Versioned<InstanceData> },
  to: { def: DefinitionData; instance: InstanceData },
  activity: string,
  details: Record<string, string>,
): Promise<{ def: Versioned<DefinitionData>; instance: Versioned<InstanceData> }> {
  await commitChange(
    svc.table,
    [replaceInstance(to.instance, from.instance.version), replaceDefinition(to.def, from.def.version)],
    auditReview(svc, actor, from.def.data, activity, 'Update', { instanceId: to.instance.id, ...details }),
  );
  return { def: { version: from.def.version + 1, data: to.def }, instance: { version: from.instance.version + 1, data: to.instance } };
}
