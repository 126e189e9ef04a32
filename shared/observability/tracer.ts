/**
 * X-Ray tracing of the AWS SDK clients through Powertools' Tracer, where each client is created. Only on
 * Lambda (the functions have active tracing): locally there is no X-Ray daemon to send segments to.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { ON_LAMBDA } from './logger.ts';
import { readSettings } from '../settings.ts';

const settings = readSettings().observability;

export const tracer = new Tracer({ serviceName: settings.serviceName, enabled: ON_LAMBDA && settings.traceEnabled });

/** The client itself, with its calls recorded as subsegments when tracing is on. */
export function traced<T>(client: T): T {
  return tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client;
}
