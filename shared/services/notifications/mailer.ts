/** Sends one email through SES v2, retrying throttling and server faults; SES's own retries are off (see runtime.ts). */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { RenderedEmail } from '../../domain/notifications/render.ts';
import { isTransientAwsError, withRetry, type RetryOptions } from './retry.ts';

export interface Mailer {
  send(to: string, email: RenderedEmail): Promise<void>;
}

export type MailRetry = Omit<RetryOptions, 'isRetryable'>;

export const DEFAULT_MAIL_RETRY: Omit<MailRetry, 'sleep' | 'random'> = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

export function createSesMailer(client: SESv2Client, from: string, retry: MailRetry): Mailer {
  return {
    async send(to, email) {
      const command = new SendEmailCommand({
        FromEmailAddress: from,
        // One recipient per email: nobody learns who else was told, and each audience reads its own text.
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        },
      });
      await withRetry(() => client.send(command), { ...retry, isRetryable: isTransientAwsError });
    },
  };
}
