/**
 * middy middleware: every answer carries the request id; every error becomes Graph's error shape with
 * the status from error-response.ts. Unexpected errors are logged with the request id, never shown.
 */
import { DomainError } from '../domain/errors.ts';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.ts';
import { logger } from '../observability/logger.ts';
import { answerFor, graphErrorBody } from './error-response.ts';
import { header } from './request.ts';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

const ids = new WeakMap<Event, string>();

export function requestIdOf(event: Event): string {
  let id = ids.get(event);
  if (!id) {
    id = event.requestContext?.requestId || randomUUID();
    ids.set(event, id);
  }
  return id;
}

/** The client's correlation id, capped: it is echoed back, so its length is ours to bound. */
function clientRequestIdOf(event: Event): string | undefined {
  return header(event, 'client-request-id')?.slice(0, 128);
}

function commonHeaders(event: Event): Record<string, string> {
  const clientRequestId = clientRequestIdOf(event);
  // AuthZEN asks servers to return the caller's X-Request-ID; Graph clients send client-request-id.
  const xRequestId = header(event, 'x-request-id')?.slice(0, 128);
  return {
    'request-id': requestIdOf(event),
    'odata-version': '4.0',
    ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}),
    ...(xRequestId ? { 'x-request-id': xRequestId } : {}),
  };
}

export function graphErrors(clock: () => Clock): middy.MiddlewareObj<Event, Result> {
  return {
    after: (request) => {
      const response = request.response;
      if (response) response.headers = { ...commonHeaders(request.event), ...response.headers };
    },
    onError: (request) => {
      const answer = answerFor(request.error);
      if (answer.status >= 500 && request.error instanceof DomainError) {
        // A dependency not connected or not answering (AWS access): known, said to the caller, not a bug.
        logger.warn('service unavailable', { requestId: requestIdOf(request.event), code: request.error.code, message: request.error.message });
      } else if (answer.status >= 500) {
        logger.error('unexpected error', { requestId: requestIdOf(request.event), error: request.error as Error });
      }
      const clientRequestId = clientRequestIdOf(request.event);
      const headers: Record<string, string> = { ...commonHeaders(request.event), 'content-type': 'application/json; charset=utf-8', ...answer.headers };
      if (answer.status === 401 && !headers['www-authenticate']) {
        headers['www-authenticate'] = `Bearer realm="stint", error="invalid_token", error_description="${answer.message.replace(/"/g, "'")}"`;
      }
      request.response = {
        statusCode: answer.status,
        headers,
        body: JSON.stringify(graphErrorBody(answer, requestIdOf(request.event), safeNow(clock), clientRequestId)),
      };
    },
  };
}

/** The error answer must not fail because configuration did: fall back to the system time. */
function safeNow(clock: () => Clock): Date {
  try {
    return clock().now();
  } catch {
    return new Date();
  }
}
