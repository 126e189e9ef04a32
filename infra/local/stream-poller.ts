/**
 * DynamoDB Streams → Lambda, on one machine: reads DynamoDB Local's stream of the table and hands each
 * batch, shaped as Lambda's DynamoDBStreamEvent, to the same stream handlers Lambda runs. Shards are
 * followed in order; where each got to is kept in a checkpoint file so a restart neither loses nor
 * replays changes. A handler that throws gets the batch again (as Lambda retries), a few times, then the
 * batch is logged and skipped (Lambda would send it to the failure destination).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { signalLocalActivity } from './activity.ts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<unknown>;

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  consumers: StreamConsumer[];
  checkpointFile?: string;
  /** @default 100 */
  intervalMs?: number;
  log?: (line: string) => void;
}

const ATTEMPTS = 3;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly dynamo: DynamoDBClient;
  private readonly checkpoints: Record<string, string>;
  private readonly iterators = new Map<string, string | null>();
  private streamArn?: string;
  private running = false;
  private loop?: Promise<void>;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: StreamPollerOptions) {
    const settings = { endpoint: options.endpoint, region: 'us-east-1', credentials };
    this.streams = new DynamoDBStreamsClient(settings);
    this.dynamo = new DynamoDBClient(settings);
    this.checkpoints =
      options.checkpointFile && existsSync(options.checkpointFile) ? (JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Record<string, string>) : {};
  }

  async start(): Promise<void> {
    const table = await this.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    this.streamArn = table.Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`Table ${this.options.tableName} has no stream.`);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.streams.destroy();
    this.dynamo.destroy();
  }

  /** Resolves after a full pass over the stream that found nothing new: every change so far is handled. */
  idle(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delivered = 0;
      try {
        delivered = await this.pass();
      } catch (error) {
        this.options.log?.(`stream poller: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (delivered === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
      if (this.running && delivered === 0) await new Promise((r) => setTimeout(r, this.options.intervalMs ?? 100));
    }
    for (const wake of this.idleWaiters) wake();
  }

  private async pass(): Promise<number> {
    const stream = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    let delivered = 0;
    // Parents before children: a shard's records come before those of the shards split from it.
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      const known = this.iterators.get(id);
      if (known === null) continue; // a closed shard, read to its end
      let page;
      try {
        page = await this.streams.send(new GetRecordsCommand({ ShardIterator: known ?? (await this.firstIterator(id)), Limit: 100 }));
      } catch (error) {
        // An iterator can go stale (expired, or behind the shard's trim point): get a fresh one from the
        // checkpoint on the next pass, and go on with the other shards now.
        this.iterators.delete(id);
        this.options.log?.(`stream poller: shard ${id}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        continue;
      }
      this.iterators.set(id, page.NextShardIterator ?? null);
      const records = page.Records ?? [];
      if (records.length > 0) {
        await this.deliver(records);
        this.checkpoints[id] = records.at(-1)!.dynamodb!.SequenceNumber!;
        this.saveCheckpoints();
        delivered += records.length;
        signalLocalActivity();
      }
    }
    return delivered;
  }

  private async firstIterator(shardId: string): Promise<string> {
    const after = this.checkpoints[shardId];
    const result = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        SequenceNumber: after,
      }),
    );
    return result.ShardIterator!;
  }

  private async deliver(records: _Record[]): Promise<void> {
    const event: DynamoDBStreamEvent = {
      Records: records.map((r) => {
        // The SDK gives a Date; Lambda's event carries epoch seconds.
        const created = r.dynamodb?.ApproximateCreationDateTime;
        const dynamodb = { ...r.dynamodb, ApproximateCreationDateTime: created instanceof Date ? Math.floor(created.getTime() / 1000) : created };
        return { ...r, dynamodb, awsRegion: 'us-east-1', eventSourceARN: this.streamArn } as unknown as DynamoDBRecord;
      }),
    };
    for (const consumer of this.options.consumers) {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = (await consumer(event)) as { batchItemFailures?: unknown[] } | undefined;
          if (!result?.batchItemFailures?.length || attempt >= ATTEMPTS) break;
        } catch (error) {
          if (attempt >= ATTEMPTS) {
            this.options.log?.(
              `stream consumer failed ${ATTEMPTS} times; ${records.length} change(s) skipped: ${error instanceof Error ? error.message : String(error)}`,
            );
            break;
          }
        }
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }

  private saveCheckpoints(): void {
    if (this.options.checkpointFile) writeFileSync(this.options.checkpointFile, JSON.stringify(this.checkpoints));
  }
}
