/**
 * Access reviews from the reviewer's side: the reviews and instances I review, the decision items of
 * an instance (one server page at a time), and recording decisions (one item, the selected items, or
 * every item at once with batchRecordDecisions).
 */
import type { Api, Collection } from '../api/client.ts';
import { mine, query, REVIEWS } from '../api/paths.ts';

export interface ReviewDefinition {
  id: string;
  displayName: string;
  descriptionForReviewers: string;
  status: string;
  settings: { justificationRequiredOnApproval?: boolean; recommendationsEnabled?: boolean; [k: string]: unknown };
}

export interface ReviewInstance {
  id: string;
  startDateTime: string;
  endDateTime: string;
  status: string;
}

export interface DecisionItem {
  id: string;
  decision: 'NotReviewed' | 'Approve' | 'Deny' | 'DontKnow' | string;
  justification: string | null;
  recommendation: string;
  /** Stint's annotations (Graph v1.0 has no such properties): why the recommendation, what access, where, last used. */
  '@stint.recommendationReason'?: string;
  reviewedBy: { id: string; displayName: string | null } | null;
  reviewedDateTime: string | null;
  principal: { '@odata.type'?: string; id?: string; displayName?: string; userPrincipalName?: string };
  resource: { id?: string; displayName?: string; type?: string };
  '@stint.accessType'?: string;
  '@stint.directoryScopeId'?: string;
  '@stint.lastActivityDateTime'?: string | null;
}

export type Verdict = 'Approve' | 'Deny' | 'DontKnow';

export const VERDICT_LABEL: Record<string, string> = { Approve: 'Approve', Deny: 'Deny', DontKnow: "Don't know", NotReviewed: 'Not reviewed' };

export const instancePath = (definitionId: string, instanceId: string) =>
  `${REVIEWS}/${encodeURIComponent(definitionId)}/instances/${encodeURIComponent(instanceId)}`;

export interface MyReview {
  definition: ReviewDefinition;
  instance: ReviewInstance;
}

/** Every instance I review, of every review naming me; the open ones first. */
export async function loadMyReviews(api: Api): Promise<{ rows: MyReview[]; more: boolean }> {
  const defs = await api.get<Collection<ReviewDefinition>>(`${mine(REVIEWS, 'reviewer')}${query({ $top: 100 })}`);
  const lists = await Promise.all(
    defs.value.map(async (definition) => {
      const instances = await api.get<Collection<ReviewInstance>>(
        `${mine(`${REVIEWS}/${encodeURIComponent(definition.id)}/instances`, 'reviewer')}${query({ $top: 20 })}`,
      );
      return instances.value.map((instance) => ({ definition, instance }));
    }),
  );
  const open = (r: MyReview) => (r.instance.status === 'InProgress' ? 0 : 1);
  const rows = lists.flat().sort((a, b) => open(a) - open(b) || b.instance.startDateTime.localeCompare(a.instance.startDateTime));
  return { rows, more: Boolean(defs['@odata.nextLink']) };
}

export function loadDecisionPage(api: Api, definitionId: string, instanceId: string, link?: string, filter?: string): Promise<Collection<DecisionItem>> {
  return api.get<Collection<DecisionItem>>(
    link ?? `${mine(`${instancePath(definitionId, instanceId)}/decisions`, 'reviewer')}${query({ $top: 50, $filter: filter })}`,
  );
}

export function recordDecision(api: Api, definitionId: string, instanceId: string, id: string, decision: Verdict, justification: string): Promise<void> {
  return api.patch(`${instancePath(definitionId, instanceId)}/decisions/${encodeURIComponent(id)}`, { decision, justification: justification || null });
}

/** The selected items, five at a time; a result per item. */
export async function recordMany(
  api: Api,
  definitionId: string,
  instanceId: string,
  items: DecisionItem[],
  decision: Verdict,
  justification: string,
): Promise<{ item: DecisionItem; error?: string }[]> {
  const results: { item: DecisionItem; error?: string }[] = [];
  for (let i = 0; i < items.length; i += 5) {
    await Promise.all(
      items.slice(i, i + 5).map(async (item) => {
        try {
          await recordDecision(api, definitionId, instanceId, item.id, decision, justification);
          results.push({ item });
        } catch (e) {
          results.push({ item, error: (e as Error).message });
        }
      }),
    );
  }
  return results;
}

/** Graph's batchRecordDecisions: every item I review in this instance gets the same decision. */
export async function recordAll(api: Api, definitionId: string, instanceId: string, decision: Verdict, justification: string): Promise<number> {
  const answer = await api.post<{ recorded?: number } | undefined>(`${instancePath(definitionId, instanceId)}/batchRecordDecisions`, {
    decision,
    justification: justification || null,
  });
  return answer?.recorded ?? 0;
}

export function acceptRecommendations(api: Api, definitionId: string, instanceId: string): Promise<unknown> {
  return api.post(`${instancePath(definitionId, instanceId)}/acceptRecommendations`);
}
