/**
 * PIM security alerts: per alert type one partition holding its state (`ALERT`), its changed settings
 * (`CONFIG`, absent while Entra's defaults hold) and its incidents (`INC#{id}`). State and settings are
 * versioned and change through commitChange with their audit record. Incidents are written in batches
 * by the one evaluation that holds the run lease (`ALERTRUN`), and their ids are deterministic, so a
 * repeated write is the same item; the alert's state item, written last and conditioned on its version,
 * is what the stream reads (a High alert becoming active is the email).
 */
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertConfig, AlertType, Incident, Remedy } from '../domain/alerts/types.ts';
import { ALERT_TYPES } from '../domain/alerts/types.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { batchGetAll } from './batch-get.ts';
import { keys, prefixes } from './keys.ts';
import { queryAll } from './query-all.ts';
import { backOff, type TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export const ALERT_ITEM_TYPE = 'alert';

export interface AlertState {
  alertType: AlertType;
  isActive: boolean;
  incidentCount: number;
  lastScannedDateTime: string | null;
  lastModifiedDateTime: string | null;
  /** When an administrator last dismissed it: it stays dismissed until an incident newer than this appears. */
  dismissedDateTime: string | null;
}

export interface StoredIncident extends Incident {
  firstSeenDateTime: string;
}

export interface Versioned<T> {
  version: number;
  data: T;
}

export const initialState = (alertType: AlertType): AlertState => ({
  alertType,
  isActive: false,
  incidentCount: 0,
  lastScannedDateTime: null,
  lastModifiedDateTime: null,
  dismissedDateTime: null,
});

function stateOf(item: Record<string, unknown> | undefined, type: AlertType): Versioned<AlertState> {
  if (!item) return { version: 0, data: initialState(type) };
  return {
    version: Number(item.version),
    data: {
      alertType: type,
      isActive: item.isActive === true,
      incidentCount: Number(item.incidentCount ?? 0),
      lastScannedDateTime: typeof item.lastScannedDateTime === 'string' ? item.lastScannedDateTime : null,
      lastModifiedDateTime: typeof item.lastModifiedDateTime === 'string' ? item.lastModifiedDateTime : null,
      dismissedDateTime: typeof item.dismissedDateTime === 'string' ? item.dismissedDateTime : null,
    },
  };
}

export interface AlertRecords {
  states: Map<AlertType, Versioned<AlertState>>;
  configs: Map<AlertType, Versioned<Partial<AlertConfig>>>;
}

/** Every alert's state and changed settings: one strongly consistent BatchGet of twelve keys. */
export async function readAlertRecords(table: TableContext): Promise<AlertRecords> {
  const wanted = ALERT_TYPES.flatMap((t) => [keys.alert(t), keys.alertConfig(t)]);
  const found = await batchGetAll(table, wanted, { consistent: true });
  const byKey = new Map(found.map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
  const states = new Map<AlertType, Versioned<AlertState>>();
  const configs = new Map<AlertType, Versioned<Partial<AlertConfig>>>();
  for (const type of ALERT_TYPES) {
    const a = keys.alert(type);
    const c = keys.alertConfig(type);
    states.set(type, stateOf(byKey.get(`${a.pk}|${a.sk}`), type));
    const config = byKey.get(`${c.pk}|${c.sk}`);
    configs.set(type, config ? { version: Number(config.version), data: config.config as Partial<AlertConfig> } : { version: 0, data: {} });
  }
  return { states, configs };
}

/** The alert's new state, conditioned on the version read (0: not yet stored). */
export function putAlertState(state: AlertState, expectedVersion: number): ConditionalWrite {
  return {
    put: {
      Item: { ...keys.alert(state.alertType), type: ALERT_ITEM_TYPE, version: expectedVersion + 1, ...state },
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
    },
    onConditionFailed: () => new ConflictError('The alert changed while this was done; try again.', 'Request_ConcurrentModification'),
  };
}

export function putAlertConfig(type: AlertType, config: Partial<AlertConfig>, expectedVersion: number): ConditionalWrite {
  return {
    put: {
      Item: { ...keys.alertConfig(type), type: 'alertConfiguration', version: expectedVersion + 1, config },
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
      ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
    },
    onConditionFailed: () => new ConflictError("The alert's settings changed while this was done; read them again.", 'Request_ConcurrentModification'),
  };
}

function incidentOf(item: Record<string, unknown>): StoredIncident {
  return {
    id: String(item.incidentId),
    alertType: item.alertType as AlertType,
    properties: item.properties as Incident['properties'],
    remedy: (item.remedy as Remedy | null) ?? null,
    firstSeenDateTime: String(item.firstSeenDateTime),
  };
}

function incidentItem(incident: StoredIncident): Record<string, unknown> {
  return {
    ...keys.alertIncident(incident.alertType, incident.id),
    type: 'alertIncident',
    incidentId: incident.id,
    alertType: incident.alertType,
    properties: incident.properties,
    remedy: incident.remedy,
    firstSeenDateTime: incident.firstSeenDateTime,
  };
}

/** Every incident of an alert, strongly consistent (evaluation compares them with what it found). */
export async function allIncidents(table: TableContext, type: AlertType): Promise<StoredIncident[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :inc)',
    ExpressionAttributeValues: { ':pk': keys.alert(type).pk, ':inc': prefixes.alertIncidents },
    ConsistentRead: true,
  });
  return items.map(incidentOf);
}

/** A page of an alert's incidents, in id order. */
export async function incidentPage(
  table: TableContext,
  type: AlertType,
  limit: number,
  start?: Record<string, unknown>,
): Promise<{ items: StoredIncident[]; next?: Record<string, unknown> }> {
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :inc)',
      ExpressionAttributeValues: { ':pk': keys.alert(type).pk, ':inc': prefixes.alertIncidents },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (result.Items ?? []).map(incidentOf), next: result.LastEvaluatedKey };
}

export async function getIncident(table: TableContext, type: AlertType, id: string): Promise<StoredIncident | undefined> {
  const item = (await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.alertIncident(type, id), ConsistentRead: true }))).Item;
  return item ? incidentOf(item) : undefined;
}

export function deleteIncidentWrite(type: AlertType, id: string): ConditionalWrite {
  return {
    delete: { Key: keys.alertIncident(type, id), ConditionExpression: 'attribute_exists(pk)' },
    onConditionFailed: () => new NotFoundError(`The incident '${id}' is no longer open: it was fixed or the condition has gone.`),
  };
}

/** Puts and deletes of incidents, 25 a batch, retrying what DynamoDB leaves unprocessed. Idempotent. */
export async function writeIncidents(table: TableContext, puts: StoredIncident[], deletes: { alertType: AlertType; id: string }[]): Promise<void> {
  const requests: Record<string, unknown>[] = [
    ...puts.map((i) => ({ PutRequest: { Item: incidentItem(i) } })),
    ...deletes.map((d) => ({ DeleteRequest: { Key: keys.alertIncident(d.alertType, d.id) } })),
  ];
  for (let i = 0; i < requests.length; i += 25) {
    let batch = requests.slice(i, i + 25);
    for (let attempt = 0; batch.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept alert incidents unprocessed; the next evaluation will write them.');
      if (attempt > 0) await backOff(table, Math.min(50 * 2 ** attempt, 2_000));
      const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: batch } }));
      batch = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof batch;
    }
  }
}

/** Takes the evaluation lease if it is free or has lapsed (a run that crashed). */
export async function acquireAlertRun(table: TableContext, holder: string, now: Date, leaseMs: number): Promise<boolean> {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.alertRun(), type: 'alertRun', holder, until: new Date(now.getTime() + leaseMs).toISOString() },
        ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function releaseAlertRun(table: TableContext, holder: string): Promise<void> {
  try {
    await table.db.send(
      new DeleteCommand({ TableName: table.tableName, Key: keys.alertRun(), ConditionExpression: 'holder = :h', ExpressionAttributeValues: { ':h': holder } }),
    );
  } catch (error) {
    // Lapsed and taken by another run: it is theirs now.
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  }
}
