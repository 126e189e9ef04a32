/**
 * The API's log lines carry the request's id as correlation id: the id the client gets back as
 * `request-id`, so a reported failure leads straight to its log line.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { graphErrors } from '../../../shared/http/graph-errors.ts';
import { requestLogging } from '../../../shared/http/request-logging.ts';

const event = (requestId: string) =>
  ({ rawPath: '/v1.0/users', headers: {}, requestContext: { requestId, http: { method: 'GET' } } }) as unknown as APIGatewayProxyEventV2;
const context = {
  functionName: 'stint-directory',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:stint-directory',
  memoryLimitInMB: '512',
  awsRequestId: 'lambda-1',
} as Context;

function failingHandler() {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(requestLogging())
    .use(graphErrors(() => new ManualClock('2031-01-01T00:00:00.000Z')))
    .handler(async () => {
      throw new Error('the table is unreachable');
    });
}

/** Every JSON log line written to console.error (Powertools' dev mode writes through the global console). */
function errorLines(spy: ReturnType<typeof vi.spyOn>): Record<string, any>[] {
  return spy.mock.calls.map((args: unknown[]) => JSON.parse(String(args[0])));
}

afterEach(() => vi.restoreAllMocks());

describe('API request logging', () => {
  it("logs an unexpected error once, as JSON with the request's id as correlation_id and the Lambda context", async () => {
    // Prepare
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const response = await failingHandler()(event('apigw-req-7'), context);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['request-id']).toBe('apigw-req-7');
    const lines = errorLines(spy);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      message: 'unexpected error',
      correlation_id: 'apigw-req-7',
      requestId: 'apigw-req-7',
      function_name: 'stint-directory',
      service: expect.any(String),
    });
    expect(lines[0]!.error).toMatchObject({ name: 'Error', message: 'the table is unreachable' });
  });

  it("moves to the next request's id: a warm Lambda never logs under the previous one", async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = failingHandler();

    await handler(event('first'), context);
    await handler(event('second'), {} as Context);

    expect(errorLines(spy).map((l) => l.correlation_id)).toEqual(['first', 'second']);
  });
});
