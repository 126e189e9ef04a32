/**
 * The one logger of every handler: Powertools' structured JSON on Lambda (service name, cold start,
 * function, X-Ray trace id, and the correlation id of the request being handled), so a request's id
 * finds every line about it in Logs Insights.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { readSettings } from '../settings.ts';

const settings = readSettings().observability;

/** Lambda sets AWS_LAMBDA_FUNCTION_NAME; the local stack and tests do not. */
export const ON_LAMBDA = settings.onLambda;

// Off Lambda people read the log, not Logs Insights: Powertools' dev mode indents it, and only warnings
// and errors show, so a line per lifecycle step does not drown the local stack's own output (either can
// be set otherwise in the environment). These are Powertools' own variables, read by the Logger itself.
if (!ON_LAMBDA) {
  process.env.POWERTOOLS_DEV ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
}

/** The service name comes from POWERTOOLS_SERVICE_NAME (one per Lambda, set by infra/constructs/stint-function.ts). */
export const logger = new Logger({ serviceName: settings.serviceName });

/** Ties the lines that follow to one request (an API request id, a lifecycle run's request id). */
export function useCorrelationId(id: string): void {
  logger.setCorrelationId(id);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
