/** Role management policies that an administrator has changed; unchanged ones are Entra's defaults, not stored. */
import { policySchema, type Policy } from '../contracts/policies.ts';
import { ConflictError } from '../domain/errors.ts';
import { batchGetAll } from './batch-get.ts';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export interface StoredPolicy {
  version: number;
  data: Policy;
}

export async function getStoredPolicies(table: TableContext, ids: string[]): Promise<Map<string, StoredPolicy>> {
  const items = await batchGetAll(
    table,
    [...new Set(ids)].map((id) => keys.policy(id)),
    { consistent: true },
  );
  const found = new Map<string, StoredPolicy>();
  for (const item of items) {
    const data = policySchema.parse(item.data);
    found.set(data.id, { version: Number(item.version), data });
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
