/** The audit record of a decision on an item: the review first (its history is one query), then whose access it is. */
import type { DecisionItem } from '../../domain/access-reviews/decisions.ts';
import type { DefinitionData } from '../../domain/access-reviews/model.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, Services } from '../context.ts';
import { reviewTarget } from './definitions.ts';

const ACTIVITY = {
  reviewer: 'Record access review decision',
  default: 'Apply default decision to access review item',
  recommendation: 'Accept access review recommendation',
} as const;

export function auditDecision(svc: Services, actor: Actor, def: Pick<DefinitionData, 'id' | 'displayName'>, d: DecisionItem, how: keyof typeof ACTIVITY) {
  const principalType = d.principal.type === 'user' ? 'User' : d.principal.type === 'group' ? 'Group' : 'ServicePrincipal';
  return auditOf(svc, actor, {
    category: 'AccessReviews',
    activity: ACTIVITY[how],
    operationType: 'Update',
    targets: [
      reviewTarget(def),
      {
        id: d.principal.id,
        displayName: d.principal.displayName,
        type: principalType,
        userPrincipalName: d.principal.userPrincipalName ?? null,
        modifiedProperties: [{ displayName: 'decision', oldValue: null, newValue: JSON.stringify(d.decision) }],
      },
    ],
    details: {
      instanceId: d.instanceId,
      decisionId: d.id,
      resource: `${d.resource.displayName ?? d.resource.id} (${d.accessType})`,
      recommendation: d.recommendation,
      ...(d.justification ? { justification: d.justification } : {}),
    },
  });
}
