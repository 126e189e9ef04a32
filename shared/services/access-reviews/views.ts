/** The Graph shapes of definitions, instances and decision items; Stint's additions are noted where they are. */
import type { DecisionItem } from '../../domain/access-reviews/decisions.ts';
import type { DefinitionData, InstanceData } from '../../domain/access-reviews/model.ts';

export function definitionView(d: DefinitionData): Record<string, unknown> {
  return {
    id: d.id,
    displayName: d.displayName,
    descriptionForAdmins: d.descriptionForAdmins,
    descriptionForReviewers: d.descriptionForReviewers,
    status: d.status,
    createdBy: d.createdBy,
    createdDateTime: d.createdDateTime,
    lastModifiedDateTime: d.lastModifiedDateTime,
    scope: d.scope,
    instanceEnumerationScope: d.instanceEnumerationScope,
    reviewers: d.reviewers.map((r) => ({ queryRoot: null, ...r })),
    fallbackReviewers: d.fallbackReviewers.map((r) => ({ queryRoot: null, ...r })),
    additionalNotificationRecipients: d.additionalNotificationRecipients,
    stageSettings: [],
    settings: d.settings,
  };
}

export function instanceView(i: InstanceData, d: DefinitionData): Record<string, unknown> {
  return {
    id: i.id,
    startDateTime: i.startDateTime,
    endDateTime: i.endDateTime,
    status: i.status,
    scope: d.scope,
    reviewers: d.reviewers,
    fallbackReviewers: d.fallbackReviewers,
    // Beyond Graph: how the instance went.
    decisionCount: i.decisionCount,
    selfReview: i.selfReview,
    summary: i.summary,
  };
}

export function decisionView(x: DecisionItem): Record<string, unknown> {
  const principalType = x.principal.type === 'user' ? 'userIdentity' : x.principal.type === 'group' ? 'groupIdentity' : 'servicePrincipalIdentity';
  const principalPath = x.principal.type === 'user' ? 'users' : x.principal.type === 'group' ? 'groups' : 'servicePrincipals';
  return {
    id: x.id,
    accessReviewId: x.instanceId,
    decision: x.decision,
    justification: x.justification,
    recommendation: x.recommendation,
    applyResult: x.applyResult,
    applyDescription: x.applyDescription,
    appliedBy: x.appliedBy,
    appliedDateTime: x.appliedDateTime,
    reviewedBy: x.reviewedBy,
    reviewedDateTime: x.reviewedDateTime,
    principal: { '@odata.type': `#microsoft.graph.${principalType}`, ...x.principal },
    resource: x.resource,
    principalLink: `https://graph.microsoft.com/v1.0/${principalPath}/${x.principal.id}`,
    resourceLink:
      x.resource.type === 'group'
        ? `https://graph.microsoft.com/v1.0/groups/${x.resource.id}`
        : `https://graph.microsoft.com/v1.0/roleManagement/directory/roleDefinitions/${x.resource.id}`,
    insights: x.lastActivityDateTime
      ? [{ '@odata.type': '#microsoft.graph.userSignInInsight', insightCreatedDateTime: x.reviewedDateTime, lastSignInDateTime: x.lastActivityDateTime }]
      : [],
    // Beyond Graph (decision items are an open type): what the access is, and why the recommendation.
    accessType: x.accessType,
    directoryScopeId: x.access.kind === 'schedule' ? x.access.directoryScopeId : `/groups/${x.access.groupId}`,
    recommendationReason: x.recommendationReason,
    lastActivityDateTime: x.lastActivityDateTime,
  };
}
