/**
 * One DynamoDB Local (in memory, on a free port) per test worker. The JVM takes seconds to start, so the
 * files a worker runs share its instance and keep apart by using their own tables; a second instance
 * per worker because DynamoDB Local runs its storage on a single thread, which one instance for the
 * whole run made the queue every integration test stood in. The portal is built here too, once, while
 * the JVMs start (a no-op when web/dist holds a build of today's sources): the CDK app deploys it, so
 * every synthesis in test/infra needs it, and the local stack serves it.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, type DynamoLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';
import { ensurePortalBuilt } from '../../infra/local/portal-site.ts';

let instances: DynamoLocal[] = [];

export async function setup(project: TestProject): Promise<void> {
  const workers = Math.max(1, Number(project.globalConfig.maxWorkers) || 1);
  const [started] = await Promise.all([
    Promise.all(Array.from({ length: workers }, async () => startDynamoLocal({ port: await freePort() }))),
    ensurePortalBuilt(),
  ]);
  instances = started;
  project.provide(
    'dynamoEndpoints',
    instances.map((i) => i.endpoint),
  );
}

export async function teardown(): Promise<void> {
  await Promise.all(instances.map((i) => i.stop()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoints: string[];
  }
}
