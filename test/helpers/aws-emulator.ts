/** The local AWS emulator (moto_server and its proxy) on a free port, seeded with the AWS demo, for one test file. */
import { startAwsEmulator, type AwsEmulator } from '../../infra/local/aws-emulator.ts';
import { seedAwsDemo, type AwsDemo } from '../../infra/local/aws-seed.ts';
import { createSdkIdentityCenter } from '../../shared/services/aws/sdk-identity-center.ts';
import type { IdentityCenter } from '../../shared/services/aws/identity-center.ts';

export interface TestAwsEmulator {
  emulator: AwsEmulator;
  demo: AwsDemo;
  center: IdentityCenter;
}

export async function startTestAwsEmulator(): Promise<TestAwsEmulator> {
  const emulator = await startAwsEmulator({ port: 0 });
  if (!emulator) throw new Error('moto_server is not on PATH: the AWS contract tests need it (.ci/run checks for it).');
  const demo = await seedAwsDemo(emulator.endpoint);
  const center = createSdkIdentityCenter({ ...demo, region: 'us-east-1' });
  return { emulator, demo, center };
}
