/** Role management policies that an administrator has changed; unchanged ones are Entra's defaults, not stored. */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { policySchema, type Policy } from '../contracts/policies.ts';
import { ConflictError } from '../domain/errors.ts';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export interface StoredPolicy {
  version: number;
  data: Policy;
}

export async function getStoredPolicies(table: TableContext, ids: string[]): Promise<Map<string, StoredPolicy>> {
  const found = new Map<string, StoredPolicy>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [table.tableName]: { Keys: unique.slice(i, i + 100).map((id) => keys.policy(id)), ConsistentRead: true },
    };
    while (request && Object.keys(request).length > 0) {
      const result = await table.db.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of result.Responses?.[table.tableName] ?? []) {
        const data = policySchema.parse(item.data);
        found.set(data.id, { version: Number(item.version), data });
      }
      request = result.UnprocessedKeys as typeof request;
    }
  }
  return found;
}

export function savePolicy(policy: Policy, roleDefinitionId: string, expectedVersion: number | undefined): ConditionalWrite {
  const item = { ...keys.policy(policy.id), type: 'policy', roleDefinitionId, version: (expectedVersion ?? 0) + 1, data: policy };
  return expectedVersion === undefined
    ? {
        put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
        onConditionFailed: () => new ConflictError('The policy was changed by another request; read it again and retry.', 'Request_ConcurrentModification'),
      }
    : {
        put: { Item: item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } },
        onConditionFailed: () => new ConflictError('The policy was changed by another request; read it again and retry.', 'Request_ConcurrentModification'),
      };
}
