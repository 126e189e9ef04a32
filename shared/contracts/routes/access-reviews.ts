/**
 * Access reviews under /v1.0/identityGovernance/accessReviews/: definitions, their instances and the
 * instances' decision items, with Graph's actions (stop, sendReminder, applyDecisions,
 * batchRecordDecisions, acceptRecommendations, resetDecisions) and the reviewer's views
 * (filterByCurrentUser(on='reviewer')).
 */
import { z } from 'zod';
import { route, type RouteSpec } from '../../http/route.ts';
import { batchDecisionsSchema, decisionUpdateSchema, decisionViewSchema, definitionInputSchema, definitionUpdateSchema, definitionViewSchema, instanceViewSchema } from '../access-reviews.ts';
import { collectionOf, collectionQuery, entityQuery, idParam } from '../common.ts';

export const REVIEWS_BASE = '/v1.0/identityGovernance/accessReviews/definitions';
const B = REVIEWS_BASE;

const common = { lambda: 'reviews' as const, tag: 'accessReviews' };
const def = z.strictObject({ id: idParam });
const inst = z.strictObject({ id: idParam, instanceId: idParam });
const dec = z.strictObject({ id: idParam, instanceId: idParam, decisionId: idParam });
const onReviewer = z.strictObject({ on: z.literal('reviewer', { error: "on must be 'reviewer'" }) });
const defOn = def.extend(onReviewer.shape);
const instOn = inst.extend(onReviewer.shape);
const listQuery = z.strictObject({ $top: collectionQuery.shape.$top, $skiptoken: collectionQuery.shape.$skiptoken, $select: collectionQuery.shape.$select, $filter: collectionQuery.shape.$filter, $expand: z.string().max(100).optional() });
const batchResult = z.object({ recorded: z.number() });

export const accessReviewRoutes = {
  createDefinition: route({ ...common, id: 'accessReviews.definitions.create', method: 'POST', path: B, summary: 'Create an access review definition (one-time or recurring)', body: definitionInputSchema, response: definitionViewSchema, status: 201 }),
  listDefinitions: route({ ...common, id: 'accessReviews.definitions.list', method: 'GET', path: B, summary: 'List access review definitions (a reviewer: those they review)', query: listQuery, response: collectionOf(definitionViewSchema), status: 200 }),
  myDefinitions: route({ ...common, id: 'accessReviews.definitions.filterByCurrentUser', method: 'GET', path: `${B}/filterByCurrentUser(on='{on}')`, summary: 'The access reviews I review', params: onReviewer, query: listQuery, response: collectionOf(definitionViewSchema), status: 200 }),
  getDefinition: route({ ...common, id: 'accessReviews.definitions.get', method: 'GET', path: `${B}/{id}`, summary: 'Get an access review definition', params: def, query: entityQuery, response: definitionViewSchema, status: 200 }),
  updateDefinition: route({ ...common, id: 'accessReviews.definitions.update', method: 'PUT', path: `${B}/{id}`, summary: 'Replace an access review definition (its scope stays)', params: def, body: definitionUpdateSchema, status: 204 }),
  deleteDefinition: route({ ...common, id: 'accessReviews.definitions.delete', method: 'DELETE', path: `${B}/{id}`, summary: 'Delete an access review definition with no instance in progress', params: def, status: 204 }),
  stopDefinition: route({ ...common, id: 'accessReviews.definitions.stop', method: 'POST', path: `${B}/{id}/stop`, summary: 'Stop the review: its current instance ends now, no further instance starts', params: def, status: 204 }),
  listInstances: route({ ...common, id: 'accessReviews.instances.list', method: 'GET', path: `${B}/{id}/instances`, summary: 'List the instances of a review, newest first', params: def, query: listQuery, response: collectionOf(instanceViewSchema), status: 200 }),
  myInstances: route({ ...common, id: 'accessReviews.instances.filterByCurrentUser', method: 'GET', path: `${B}/{id}/instances/filterByCurrentUser(on='{on}')`, summary: 'The instances of a review I review', params: defOn, query: listQuery, response: collectionOf(instanceViewSchema), status: 200 }),
  getInstance: route({ ...common, id: 'accessReviews.instances.get', method: 'GET', path: `${B}/{id}/instances/{instanceId}`, summary: 'Get an instance of a review', params: inst, query: entityQuery, response: instanceViewSchema, status: 200 }),
  stopInstance: route({ ...common, id: 'accessReviews.instances.stop', method: 'POST', path: `${B}/{id}/instances/{instanceId}/stop`, summary: 'End an instance now (default decisions and auto-apply as at its end)', params: inst, status: 204 }),
  sendReminder: route({ ...common, id: 'accessReviews.instances.sendReminder', method: 'POST', path: `${B}/{id}/instances/{instanceId}/sendReminder`, summary: 'Remind the reviewers who have not answered', params: inst, status: 204 }),
  applyDecisions: route({ ...common, id: 'accessReviews.instances.applyDecisions', method: 'POST', path: `${B}/{id}/instances/{instanceId}/applyDecisions`, summary: 'Apply an ended instance\'s decisions: denied access is removed', params: inst, status: 204 }),
  batchRecordDecisions: route({ ...common, id: 'accessReviews.instances.batchRecordDecisions', method: 'POST', path: `${B}/{id}/instances/{instanceId}/batchRecordDecisions`, summary: 'Decide every item I review (optionally of one principal or resource) at once', params: inst, body: batchDecisionsSchema, response: batchResult, status: 200 }),
  acceptRecommendations: route({ ...common, id: 'accessReviews.instances.acceptRecommendations', method: 'POST', path: `${B}/{id}/instances/{instanceId}/acceptRecommendations`, summary: 'My unanswered items take their recommendation', params: inst, response: batchResult, status: 200 }),
  resetDecisions: route({ ...common, id: 'accessReviews.instances.resetDecisions', method: 'POST', path: `${B}/{id}/instances/{instanceId}/resetDecisions`, summary: 'My decisions go back to NotReviewed', params: inst, response: batchResult, status: 200 }),
  contactedReviewers: route({ ...common, id: 'accessReviews.instances.contactedReviewers', method: 'GET', path: `${B}/{id}/instances/{instanceId}/contactedReviewers`, summary: 'The reviewers of an instance (named, self-reviewers and fallback), with when they last decided', params: inst, query: listQuery, response: collectionOf(z.looseObject({ id: z.string() })), status: 200 }),
  listDecisions: route({ ...common, id: 'accessReviews.decisions.list', method: 'GET', path: `${B}/{id}/instances/{instanceId}/decisions`, summary: 'List the decision items (a reviewer: those they decide)', params: inst, query: listQuery, response: collectionOf(decisionViewSchema), status: 200 }),
  myDecisions: route({ ...common, id: 'accessReviews.decisions.filterByCurrentUser', method: 'GET', path: `${B}/{id}/instances/{instanceId}/decisions/filterByCurrentUser(on='{on}')`, summary: 'The decision items I review', params: instOn, query: listQuery, response: collectionOf(decisionViewSchema), status: 200 }),
  getDecision: route({ ...common, id: 'accessReviews.decisions.get', method: 'GET', path: `${B}/{id}/instances/{instanceId}/decisions/{decisionId}`, summary: 'Get a decision item', params: dec, query: entityQuery, response: decisionViewSchema, status: 200 }),
  recordDecision: route({ ...common, id: 'accessReviews.decisions.update', method: 'PATCH', path: `${B}/{id}/instances/{instanceId}/decisions/{decisionId}`, summary: 'Record a decision: Approve, Deny or DontKnow, with a justification', params: dec, body: decisionUpdateSchema, status: 204 }),
};

export const ACCESS_REVIEW_ROUTES: RouteSpec[] = Object.values(accessReviewRoutes) as RouteSpec[];
