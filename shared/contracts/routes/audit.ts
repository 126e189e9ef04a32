/**
 * Route contracts of the 'audit' Lambda: Graph's `auditLogs/directoryAudits`, newest first.
 * Records are shaped like Graph's `directoryAudit` (shared/domain/audit.ts builds them).
 */
import * as z from 'zod';
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

/** `format` and `chainId` are plain (not $) parameters, read from the raw query with these. */
export const exportFormatQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('csv') });
export const verifyChainQuery = z.strictObject({ chainId: z.string().min(1).max(200).optional() });

export const chainReportSchema = z.object({
  chainId: z.string(),
  chained: z.number(),
  unchainedLegacy: z.number(),
  expired: z.number(),
  headSeq: z.number().nullable(),
  firstFinding: z
    .object({ kind: z.enum(['changed', 'deleted', 'reordered', 'inserted']), recordId: z.string().nullable(), seq: z.number(), detail: z.string() })
    .nullable(),
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
  exportDirectoryAudits: route({
    lambda: 'audit',
    id: 'directoryAudits.export',
    tag: 'auditLogs',
    method: 'GET',
    path: '/v1.0/auditLogs/directoryAudits/export',
    summary:
      'Download the records a $filter selects (the same filters and visibility as the list), newest first: format=csv (the columns in README, ' +
      'RFC 4180, formula cells defused) or format=json (one array of directoryAudit). Sent in chunks of at most 4 MB that concatenate into the file: ' +
      'a chunk with more to come has Link rel="next" and Stint-Export-Next; every chunk has Stint-Export-Records (so far), Stint-Export-Reached ' +
      '(activityDateTime reached) and Stint-Export-Complete. The local server streams all chunks as one response (Stint-Export: paged to see chunks).',
    query: z.strictObject({ $filter: collectionQuery.shape.$filter, $skiptoken: collectionQuery.shape.$skiptoken }),
    contentType: 'text/csv',
    status: 200,
  }),
  verifyDirectoryAudits: route({
    lambda: 'audit',
    id: 'directoryAudits.verify',
    tag: 'auditLogs',
    method: 'GET',
    path: '/v1.0/auditLogs/directoryAudits/verify',
    summary:
      `Check the audit chains' hashes (${readers.join(', ')} only): chainId=<object id> for one chain, or every chain a page at a time ($top chains, ` +
      'default 20). Each chain reports the first record that was changed, deleted or reordered, or null; records written before chaining count as unchainedLegacy.',
    query: z.strictObject({ $top: z.coerce.number().int().min(1).max(100).optional(), $skiptoken: collectionQuery.shape.$skiptoken }),
    response: z.object({ '@odata.context': z.string(), intact: z.boolean(), value: z.array(chainReportSchema), '@odata.nextLink': z.string().optional() }),
    status: 200,
  }),
};
