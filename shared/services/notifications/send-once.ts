/** One email to one address for one stream record's notification, sent at most once however often the record is retried (see shared/store/sent-emails.ts). */
import type { RenderedEmail } from '../../domain/notifications/render.ts';
import { claimSend, releaseSend } from '../../store/sent-emails.ts';
import type { DeliveryDeps } from './deliver.ts';

/** A record without an id (never from Lambda or the local poller) cannot be told apart from its retry: it is just sent. */
const ANONYMOUS = 'stream';

export async function sendOnce(
  deps: Pick<DeliveryDeps, 'services' | 'mailer'>,
  record: string,
  notificationId: string,
  address: string,
  email: RenderedEmail,
): Promise<'sent' | 'sentBefore'> {
  const { table, clock } = deps.services;
  const delivery = `${record}|${notificationId}`;
  if (record !== ANONYMOUS && !(await claimSend(table, delivery, address, clock.now()))) return 'sentBefore';
  try {
    await deps.mailer.send(address, email);
    return 'sent';
  } catch (error) {
    // Give the claim back: the record's retry is then free to send it.
    if (record !== ANONYMOUS) await releaseSend(table, delivery, address);
    throw error;
  }
}

/** One email to each address, each sent once; a failed send is counted and reported back, never thrown. */
export async function sendToEach(
  deps: Pick<DeliveryDeps, 'services' | 'mailer'>,
  record: string,
  notificationId: string,
  addresses: readonly string[],
  email: RenderedEmail,
): Promise<string[]> {
  const errors: string[] = [];
  for (const address of addresses) {
    try {
      await sendOnce(deps, record, notificationId, address, email);
    } catch (error) {
      errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }
  return errors;
}
