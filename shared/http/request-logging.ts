/**
 * middy middleware: every log line of an API invocation carries its request id (the `request-id` the
 * client gets back) as correlation id, and the Lambda context when there is one.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger, useCorrelationId } from '../observability/logger.ts';
import { requestIdOf } from './graph-errors.ts';

export function requestLogging(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  return {
    before: (request) => {
      // The local gateway calls handlers without a Lambda context.
      if (request.context?.functionName) logger.addContext(request.context);
      useCorrelationId(requestIdOf(request.event));
    },
  };
}
