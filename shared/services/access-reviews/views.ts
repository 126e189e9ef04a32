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
    // Beyond Graph v1.0, as Stint's annotations: how the instance went.
    '@stint.decisionCount': i.decisionCount,
    '@stint.selfReview': i.selfReview,
    '@stint.summary': i.summary,
  };
}

/** Graph v1.0 has identity subtypes for users and service principals; a group is a plain identity. */
const IDENTITY_TYPES = { user: 'userIdentity', group: 'identity', servicePrincipal: 'servicePrincipalIdentity' } as const;

/** A decision item; `insights` is a relationship in Graph, shown under `$expand=insights`. */
export function decisionView(x: DecisionItem, expand: { insights?: boolean } = {}): Record<string, unknown> {
  const { type, ...principal } = x.principal;
  const principalType = IDENTITY_TYPES[type];
  const principalPath = x.principal.type === 'user' ? 'users' : x.principal.type === 'group' ? 'groups' : 'servicePrincipals';
  return {
    id: x.id,
    accessReviewId: x.instanceId,
    decision: x.decision,
    justification: x.justification,
    recommendation: x.recommendation,
    applyResult: x.applyResult,
    appliedBy: x.appliedBy,
    appliedDateTime: x.appliedDateTime,
    reviewedBy: x.reviewedBy,
    reviewedDateTime: x.reviewedDateTime,
    principal: { '@odata.type': `#microsoft.graph.${principalType}`, ...principal },
    resource: x.resource,
    principalLink: `https://graph.microsoft.com/v1.0/${principalPath}/${x.principal.id}`,
    resourceLink:
      x.resource.type === 'group'
        ? `https://graph.microsoft.com/v1.0/groups/${x.resource.id}`
        : `https://graph.microsoft.com/v1.0/roleManagement/directory/roleDefinitions/${x.resource.id}`,
    ...(expand.insights
      ? {
          insights: x.lastActivityDateTime
            ? [
                {
                  '@odata.type': '#microsoft.graph.userSignInInsight',
                  id: `${x.id}-signIn`,
                  insightCreatedDateTime: x.reviewedDateTime,
                  lastSignInDateTime: x.lastActivityDateTime,
                },
              ]
            : [],
        }
      : {}),
    // Beyond Graph v1.0, as Stint's annotations: what the access is, why the recommendation, how applying went.
    '@stint.accessType': x.accessType,
    '@stint.directoryScopeId': x.access.kind === 'schedule' ? x.access.directoryScopeId : `/groups/${x.access.groupId}`,
    '@stint.recommendationReason': x.recommendationReason,
    '@stint.lastActivityDateTime': x.lastActivityDateTime,
    '@stint.applyDescription': x.applyDescription,
  };
}
