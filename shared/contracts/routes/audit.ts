/**
 * Route contracts of the 'audit' Lambda: Graph's `auditLogs/directoryAudits`, newest first.
 * Records are shaped like Graph's `directoryAudit` (shared/domain/audit.ts builds them).
 */
import { z } from 'zod';
import { roleNamesGranting } from '../../domain/authorization.ts';
import { route } from '../../http/route.ts';
import { collectionOf, collectionQuery } from '../common.ts';

const nullableString = z.string().nullable();

/**
 * A stored record as it is read back. Objects are loose: a property added to the record later is
 * returned rather than silently dropped by an old reader.
 */
export const directoryAuditSchema = z.looseObject({
  id: z.string(),
  category: z.string(),
  correlationId: z.string(),
  activityDisplayName: z.string(),
  activityDateTime: z.string(),
  loggedByService: z.string(),
  operationType: z.string(),
  result: z.string(),
  resultReason: z.string(),
  initiatedBy: z.looseObject({
    user: z.looseObject({ id: z.string(), displayName: nullableString, userPrincipalName: nullableString, ipAddress: nullableString }).nullable(),
    app: z.looseObject({ appId: nullableString, displayName: nullableString, servicePrincipalId: nullableString }).nullable(),
  }),
  targetResources: z.array(
    z.looseObject({
      id: z.string(),
      displayName: nullableString,
      type: z.string(),
      userPrincipalName: nullableString.optional(),
      modifiedProperties: z.array(z.object({ displayName: z.string(), oldValue: nullableString, newValue: nullableString })),
    }),
  ),
  additionalDetails: z.array(z.object({ key: z.string(), value: z.string() })),
});
export type DirectoryAudit = z.output<typeof directoryAuditSchema>;

export const DEFAULT_AUDIT_PAGE = 100;

/** The $filter forms directoryAudits answers (shared/services/audit-query.ts plans them). */
export const SUPPORTED_AUDIT_FILTERS =
  "activityDateTime ge|le|gt|lt <date-time>; category, activityDisplayName, result, operationType, correlationId eq '…'; " +
  "startswith(activityDisplayName, '…'); initiatedBy/user/id eq '…' (or initiatedBy/app/servicePrincipalId); " +
  "targetResources/any(t: t/id eq '…'); joined with 'and'";

const readers = roleNamesGranting('audit.readAll');

const listQuery = z.strictObject({
  $filter: collectionQuery.shape.$filter,
  $top: collectionQuery.shape.$top,
  $skiptoken: collectionQuery.shape.$skiptoken,
  $select: collectionQuery.shape.$select,
});

export const auditRoutes = {
  listDirectoryAudits: route({
    lambda: 'audit',
    id: 'directoryAudits.list',
    tag: 'auditLogs',
    method: 'GET',
    path: '/v1.0/auditLogs/directoryAudits',
    summary:
      `Audit records, newest first ($top up to 999, default ${DEFAULT_AUDIT_PAGE}; a selective filter may return a short page with a nextLink). ` +
      `${readers.join(', ')} see all; anyone else sees their own history (records they initiated or that target them). $filter: ${SUPPORTED_AUDIT_FILTERS}.`,
    query: listQuery,
    response: collectionOf(directoryAuditSchema),
    status: 200,
  }),
};
