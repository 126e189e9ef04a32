/**
 * Self-activations of roles created in a time range, tenant-wide (the frequent-activation alert): the
 * four shards of the assignment-request listing at once, as a creation-time range on their sort keys
 * (`{createdDateTime}#{id}`), the other actions filtered out on the server.
 */
import type { RoleRequest } from '../contracts/role-requests.ts';
import { LIST_SHARDS, listingPartition } from './keys.ts';
import { queryAll } from './query-all.ts';
import { parseRequest } from './role-requests.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

export async function selfActivationsBetween(table: TableContext, from: Date, to: Date): Promise<RoleRequest[]> {
  const index = INDEXES.gsi1;
  const shards = await Promise.all(
    Array.from({ length: LIST_SHARDS }, (_, shard) =>
      queryAll(table, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        FilterExpression: '#data.#action = :action',
        ExpressionAttributeNames: { '#pk': index.partition, '#sk': index.sort, '#data': 'data', '#action': 'canonicalAction' },
        ExpressionAttributeValues: {
          ':pk': listingPartition('assignmentRequest', shard),
          ':from': from.toISOString(),
          ':to': `${to.toISOString()}#\uffff`,
          ':action': 'selfActivate',
        },
      }),
    ),
  );
  return shards.flat().map((item) => parseRequest(item).data);
}
