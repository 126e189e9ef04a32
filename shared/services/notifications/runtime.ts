/**
 * The outbox's dependencies, built once from configuration. Separate from shared/runtime.ts: the stream
 * function needs neither token verification nor its settings.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { systemClock, type Clock } from '../../domain/clock.ts';
import { createEventBridgePublisher, createMemoryEventPublisher } from './event-publisher.ts';
import { createSesMailer, DEFAULT_MAIL_RETRY } from './mailer.ts';
import type { OutboxDeps } from './outbox.ts';
import { createServices } from '../create-services.ts';
import { readSettings, type NotificationSettings, type StoreSettings } from '../../settings.ts';

export type OutboxSettings = StoreSettings & NotificationSettings;

/** The outbox's settings from the environment (shared/settings.ts): the table's and the notifications' groups only. */
export function readOutboxSettings(env: NodeJS.ProcessEnv = process.env): OutboxSettings {
  const settings = readSettings(env);
  return { ...settings.store, ...settings.notifications };
}

/** EMF lines must be whole log events: stdout directly, not Lambda's console, which prefixes each line. */
const writeLog = (line: string) => void process.stdout.write(`${line}\n`);

export function createOutboxDeps(settings: OutboxSettings = readOutboxSettings(), clock: Clock = systemClock): OutboxDeps {
  const local = settings.sesEndpoint ? { endpoint: settings.sesEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
  // Our own retry (with jitter, and a record of what failed) replaces the SDK's.
  const ses = new SESv2Client({ region: settings.region, maxAttempts: 1, ...local });
  const retry = { ...DEFAULT_MAIL_RETRY, sleep: (ms: number) => clock.sleep(ms), random: Math.random };
  const events = settings.eventBusName
    ? createEventBridgePublisher(new EventBridgeClient({ region: settings.region, maxAttempts: 1 }), settings.eventBusName, retry)
    : createMemoryEventPublisher(writeLog);
  return {
    // The outbox never pages, so no paging token is ever signed with this key.
    services: createServices(settings, clock),
    mailer: createSesMailer(ses, settings.mailFrom, retry),
    events,
    portalUrl: settings.portalUrl,
    writeLog,
  };
}

let shared: OutboxDeps | undefined;

export function defaultOutboxDeps(): OutboxDeps {
  shared ??= createOutboxDeps();
  return shared;
}
