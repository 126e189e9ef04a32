/**
 * Route contracts of the 'access' Lambda: access decisions in the shape of the OpenID AuthZEN
 * Authorization API 1.0 (Access Evaluation and Access Evaluations, HTTPS JSON binding).
 *
 * Following the spec: `subject` {type, id, properties?}, `action` {name, properties?}, `resource`
 * {type, id, properties?}, `context`? are the request; `decision` and an optional `context` the answer.
 * A missing or mistyped required field is a 400; unknown fields are ignored, as the spec requires of
 * receivers ("MUST ignore unknown fields"). Stint's vocabulary: subject types are the principal kinds
 * (or 'identity' for any of them), resources are scopes (`{"type": "scope", "id": "/subscriptions/…"}`)
 * and actions are Entra/Azure resource actions.
 *
 * Stint's own powers are actions too: `stint/<Permission>` (the names of shared/domain/authorization.ts,
 * e.g. `stint/roleAssignments.manage`) at `{"type": "scope", "id": "/"}`, or at `/groups/{groupId}` for what a
 * group's owner may do there. The portal asks them at sign-in, in one `evaluations` call about the caller,
 * to know which Manage pages to show; the answer is the check the API itself makes before the operation,
 * on the assignments in force now. An unknown `stint/` action is a 400 listing the known ones.
 *
 * A subject the directory does not have (or not of the asked type) is answered `decision: false` with
 * the reason "Unknown principal: …", not a 404: AuthZEN reserves HTTP errors for the payload as a whole,
 * and only a caller allowed to ask about others can ask about an id that is not its own anyway.
 * Asking about another principal than oneself needs a role granting 'accessDecisions.evaluateOthers'
 * (shared/domain/authorization.ts), else the whole request is a 403.
 */
import * as z from 'zod';
import {
  EVALUATIONS_SEMANTICS,
  STINT_ACTION_NAMESPACE,
  stintPermissionOf,
  SUBJECT_TYPES,
  type AccessQuestion,
  type EvaluationsSemantic,
} from '../../domain/access-decision.ts';
import { PERMISSION_NAMES } from '../../domain/authorization.ts';
import { DomainError } from '../../domain/errors.ts';
import { normalizeScope } from '../../domain/scope.ts';
import { route } from '../../http/route.ts';

export const MAX_EVALUATIONS = 100;

const properties = z.record(z.string(), z.unknown());

const subjectSchema = z.object({
  type: z.enum(SUBJECT_TYPES, { error: `must be one of ${SUBJECT_TYPES.join(', ')}` }),
  id: z.string().trim().min(1, 'must not be empty').max(256),
  properties: properties.optional(),
});

const STINT_ACTIONS = PERMISSION_NAMES.map((p) => `${STINT_ACTION_NAMESPACE}${p}`);

/** A concrete action, taken literally: namespace and segments, no wildcards; in Stint's own namespace, one of its permissions. */
const actionSchema = z.object({
  name: z
    .string()
    .max(256)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)+$/, "must be an action such as 'microsoft.directory/users/password/update' (no wildcards)")
    // Any casing of the namespace must name a permission exactly: 'STINT/…' must not fall through to the resource
    // actions, where a role with '*' (Owner) would allow it.
    .refine((name) => !name.toLowerCase().startsWith(STINT_ACTION_NAMESPACE) || stintPermissionOf(name) !== undefined, {
      message: `is not one of Stint's permissions; the '${STINT_ACTION_NAMESPACE}' actions are: ${STINT_ACTIONS.join(', ')}`,
    })
    .describe(
      "An Entra or Azure resource action (e.g. 'microsoft.directory/users/password/update'), or one of Stint's own permissions as " +
        `'${STINT_ACTION_NAMESPACE}<permission>' (${STINT_ACTIONS.join(', ')}), answered by the very check the API makes before that operation.`,
    ),
  properties: properties.optional(),
});

const scopeId = z
  .string()
  .max(1024)
  .transform((value, ctx) => {
    try {
      return normalizeScope(value);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      ctx.addIssue({
        code: 'custom',
        message: "must be a scope: '/', '/administrativeUnits/{id}' or a resource path such as '/subscriptions/{id}/resourceGroups/{name}'",
      });
      return z.NEVER;
    }
  });

const resourceSchema = z.object({
  type: z.literal('scope', { error: "must be 'scope' (resources are directory or resource scopes)" }),
  id: scopeId,
  properties: properties.optional(),
});

const contextSchema = z.record(z.string(), z.unknown());

export const evaluationRequestSchema = z.object({
  subject: subjectSchema,
  action: actionSchema,
  resource: resourceSchema,
  context: contextSchema.optional(),
});

type EvaluationRequest = z.output<typeof evaluationRequestSchema>;

/** What a decision is asked about; `properties` and `context` do not enter Stint's decisions. */
export function questionOf(e: Pick<EvaluationRequest, 'subject' | 'action' | 'resource'>): AccessQuestion {
  return { subject: { type: e.subject.type, id: e.subject.id }, action: e.action.name, scope: e.resource.id };
}

const partialEvaluation = evaluationRequestSchema.partial();
type PartialEvaluation = z.output<typeof partialEvaluation>;

export interface ResolvedEvaluations {
  /** True when the request had no `evaluations` (or an empty one): it is then a single evaluation. */
  single: boolean;
  questions: AccessQuestion[];
  semantic: EvaluationsSemantic;
}

/**
 * The batch: top-level subject/action/resource/context are defaults for every entry of `evaluations`,
 * an entry's own value wins. Without `evaluations` it behaves as one evaluation (AuthZEN §7.1).
 */
export const evaluationsRequestSchema = partialEvaluation
  .extend({
    evaluations: z.array(partialEvaluation).max(MAX_EVALUATIONS, `must hold at most ${MAX_EVALUATIONS} evaluations`).optional(),
    options: z
      .object({ evaluations_semantic: z.enum(EVALUATIONS_SEMANTICS, { error: `must be one of ${EVALUATIONS_SEMANTICS.join(', ')}` }).optional() })
      .optional(),
  })
  .transform((body, ctx): ResolvedEvaluations => {
    const single = !body.evaluations || body.evaluations.length === 0;
    const entries: PartialEvaluation[] = single ? [{}] : body.evaluations!;
    const questions: AccessQuestion[] = [];
    entries.forEach((entry, i) => {
      const subject = entry.subject ?? body.subject;
      const action = entry.action ?? body.action;
      const resource = entry.resource ?? body.resource;
      for (const [key, value] of [
        ['subject', subject],
        ['action', action],
        ['resource', resource],
      ] as const) {
        if (value) continue;
        ctx.addIssue({
          code: 'custom',
          path: single ? [key] : ['evaluations', i, key],
          message: single ? 'is required' : 'is required, in the evaluation or at the top level as a default',
        });
      }
      if (subject && action && resource) questions.push(questionOf({ subject, action, resource }));
    });
    return { single, questions, semantic: body.options?.evaluations_semantic ?? 'execute_all' };
  });

const holdingView = z.object({
  scheduleId: z.string(),
  roleDefinitionId: z.string(),
  roleDisplayName: z.string(),
  directoryScopeId: z.string(),
  memberType: z.enum(['Direct', 'Group']),
  viaGroup: z
    .object({
      id: z.string(),
      displayName: z.string().nullable(),
      /** Present when the membership is a PIM for groups one: this path ends with it. */
      membership: z.object({ scheduleId: z.string(), endDateTime: z.string().nullable() }).optional(),
    })
    .nullable(),
  startDateTime: z.string(),
  endDateTime: z.string().nullable(),
});

export const decisionSchema = z.object({
  decision: z.boolean(),
  context: z
    .object({
      reason: z.string(),
      /** On allow: the instance that grants it. */
      grant: holdingView.extend({ assignmentType: z.enum(['Assigned', 'Activated']).nullable() }).optional(),
      /** On deny: an eligibility that would grant it once activated. */
      eligibility: holdingView.optional(),
    })
    .optional(),
});

const common = { lambda: 'access' as const, tag: 'accessDecisions' };

export const accessRoutes = {
  evaluation: route({
    ...common,
    id: 'access.evaluation',
    method: 'POST',
    path: '/access/v1/evaluation',
    summary: 'May this principal perform this action at this scope now? (AuthZEN Access Evaluation), with the reason',
    body: evaluationRequestSchema,
    response: decisionSchema,
    status: 200,
  }),
  evaluations: route({
    ...common,
    id: 'access.evaluations',
    method: 'POST',
    path: '/access/v1/evaluations',
    summary: `Up to ${MAX_EVALUATIONS} access evaluations in one request (AuthZEN Access Evaluations), answered in order; actions 'stint/<permission>' ask what the subject may do in Stint itself (the portal's Manage pages)`,
    body: evaluationsRequestSchema,
    response: z.union([z.object({ evaluations: z.array(decisionSchema) }), decisionSchema]),
    status: 200,
  }),
};
