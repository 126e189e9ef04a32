/**
 * The single table's shape: key attributes, global secondary indexes, stream and TTL. Pure data with no
 * SDK imports, because both the CDK construct (infra/constructs/stint-table.ts) and the local stack's
 * table creation read it: one definition for AWS and for DynamoDB Local.
 */
export const KEY = { partition: 'pk', sort: 'sk' } as const;

/**
 * Generic, overloaded indexes. Which entity uses which index for what is the access-pattern table in
 * shared/store/README.md; the key strings themselves are built only in shared/store/keys.ts.
 * They are all declared from the start because CloudFormation adds at most one GSI per update.
 */
export const INDEXES = {
  gsi1: { name: 'gsi1', partition: 'gsi1pk', sort: 'gsi1sk' },
  gsi2: { name: 'gsi2', partition: 'gsi2pk', sort: 'gsi2sk' },
  gsi3: { name: 'gsi3', partition: 'gsi3pk', sort: 'gsi3sk' },
  gsi4: { name: 'gsi4', partition: 'gsi4pk', sort: 'gsi4sk' },
  gsi5: { name: 'gsi5', partition: 'gsi5pk', sort: 'gsi5sk' },
} as const;

export type IndexName = keyof typeof INDEXES;

/** Epoch-seconds attribute; set only on ephemeral items (idempotency records, cancelled requests). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The outbox (notifications, events) reads changes with both images to know what moved. */
export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

export const DEFAULT_TABLE_NAME = 'stint';

/** Every key attribute is a string; listed for CreateTable and the CDK construct. */
export function keyAttributeNames(): string[] {
  return [KEY.partition, KEY.sort, ...Object.values(INDEXES).flatMap((i) => [i.partition, i.sort])];
}
