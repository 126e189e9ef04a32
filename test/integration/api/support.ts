/**
 * Small helpers shared by the API integration tests: Graph error assertions, following nextLinks, and
 * reading an object's audit trail straight from the table (there is no audit API yet).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import type { AuditRecord } from '../../../shared/domain/audit.ts';
import type { ApiClient } from '../../helpers/stack.ts';

export type CallResult = Awaited<ReturnType<ApiClient['call']>>;

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const ROLE_DEFINITIONS = '/v1.0/roleManagement/directory/roleDefinitions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Asserts Graph's error shape `{"error":{"code","message",("details",)"innerError":{"request-id","date"}}}`,
 * with the status and code given, and returns the error object for further checks.
 */
export function expectGraphError(result: CallResult, status: number, code: string) {
  expect({ status: result.status, code: result.body?.error?.code }, JSON.stringify(result.body)).toEqual({ status, code });
  const error = result.body.error;
  expect(Object.keys(result.body)).toEqual(['error']);
  for (const key of Object.keys(error)) expect(['code', 'message', 'details', 'innerError']).toContain(key);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.innerError['request-id']).toMatch(UUID);
  expect(error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(result.headers.get('request-id')).toBe(error.innerError['request-id']);
  expect(result.headers.get('content-type')).toMatch(/^application\/json/);
  return error as { code: string; message: string; details?: { code: string; target?: string; message: string }[] };
}

/** The path and query of a nextLink, after checking that it is absolute and points at this stack. */
export function pathOf(stack: LocalStack, link: string): string {
  expect(link.startsWith(`${stack.url}/v1.0/`), link).toBe(true);
  return link.slice(stack.url.length);
}

/** Every item of a collection, following @odata.nextLink to the end; each page must be a 200. */
export async function listAll(stack: LocalStack, api: ApiClient, token: string, path: string): Promise<any[]> {
  const items: any[] = [];
  let next: string | undefined = path;
  for (let pages = 0; next; pages++) {
    if (pages > 200) throw new Error(`more than 200 pages from ${path}`);
    const result = await api.call('GET', next, { token });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    items.push(...result.body.value);
    const link: string | undefined = result.body['@odata.nextLink'];
    next = link ? pathOf(stack, link) : undefined;
  }
  return items;
}

/** The audit records whose first target is the object, oldest first, read from the table itself. */
export async function auditTrail(stack: LocalStack, objectId: string): Promise<AuditRecord[]> {
  const { db, tableName } = stack.runtime.services.table;
  // shared/store/keys.ts `keys.audit`: records are chained per target object under `AUDIT#<objectId>`.
  const pk = `AUDIT#${objectId}`;
  const records: AuditRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    records.push(...(page.Items ?? []).map((item) => item.data as AuditRecord));
    start = page.LastEvaluatedKey;
  } while (start);
  return records;
}

/** A valid create body for a user with this alias at contoso.test. */
export function userBody(alias: string, extra: Record<string, unknown> = {}) {
  return { displayName: `Test ${alias}`, userPrincipalName: `${alias}@contoso.test`, ...extra };
}

/** A valid create body for a security group. */
export function groupBody(name: string, extra: Record<string, unknown> = {}) {
  return { displayName: name, mailNickname: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), mailEnabled: false, securityEnabled: true, ...extra };
}

/** A valid create body for a custom role. */
export function roleBody(name: string, actions = ['microsoft.directory/users/password/update'], extra: Record<string, unknown> = {}) {
  return { displayName: name, rolePermissions: [{ allowedResourceActions: actions }], ...extra };
}

/** `$filter=<expression>` as a query string value. */
export function filter(expression: string): string {
  return `$filter=${encodeURIComponent(expression)}`;
}

export function ref(id: string, host = 'https://graph.microsoft.com'): { '@odata.id': string } {
  return { '@odata.id': `${host}/v1.0/directoryObjects/${id}` };
}
