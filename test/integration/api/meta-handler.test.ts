/**
 * The meta Lambda (OpenAPI document, health) over a real table: public routes never ask for a token,
 * and health on AWS is liveness only.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createMetaHandler } from '../../../functions/api/meta.ts';
import { ensureTable } from '../../../infra/local/create-table.ts';
import type { Config } from '../../../shared/settings.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { UnauthenticatedError } from '../../../shared/domain/errors.ts';
import { openApiDocument } from '../../../shared/http/openapi.ts';
import { createRuntime, type Runtime } from '../../../shared/runtime.ts';
import { dynamoEndpoint } from '../../helpers/dynamo-endpoint.ts';

const fixture = (name: string): APIGatewayProxyEventV2 => JSON.parse(readFileSync(new URL(`../../../events/apigw/${name}`, import.meta.url), 'utf8'));

describe('meta handler', () => {
  let runtime: Runtime;
  let handler: ReturnType<typeof createMetaHandler>;

  beforeAll(async () => {
    const endpoint = dynamoEndpoint();
    const tableName = `http-meta-${randomBytes(6).toString('hex')}`;
    const admin = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(admin, tableName);
    admin.destroy();
    const config: Config = {
      tableName,
      region: 'us-east-1',
      dynamoEndpoint: endpoint,
      jwt: { issuer: 'https://issuer.test', audience: 'api://stint', jwksUrl: 'http://127.0.0.1:9/unused' },
      pageTokenSecret: 'meta-test',
      maxBodyBytes: 1024,
    };
    const base = createRuntime(config, new ManualClock('2025-01-15T10:00:00.000Z'));
    // Public routes must never ask for a token.
    runtime = { ...base, verifier: { verify: () => Promise.reject(new UnauthenticatedError('no tokens here')) } };
    handler = createMetaHandler(() => runtime);
  });

  afterAll(() => runtime?.services.table.db.destroy());

  async function call(path: string): Promise<APIGatewayProxyStructuredResultV2 & { json: any }> {
    const e = fixture('health.json');
    e.rawPath = path;
    e.requestContext.http.path = path;
    e.requestContext.requestId = randomUUID();
    const result = (await handler(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
    return { ...result, json: JSON.parse(result.body ?? 'null') };
  }

  it('serves the generated document at /openapi.json without a token', async () => {
    // Act
    const result = await call('/openapi.json');

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual(JSON.parse(JSON.stringify(openApiDocument('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com'))));
    expect(result.headers).toMatchObject({ 'odata-version': '4.0' });
  });

  it('answers health as liveness only, reading nothing', async () => {
    // Act
    const result = await call('/health');

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({ status: 'ok' });
  });
});
