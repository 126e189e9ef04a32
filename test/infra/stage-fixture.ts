/**
 * Stage files for the CDK tests: each test writes the settings it synthesizes into a directory of its own
 * (never the repository's stages/), so the lock records synth writes stay there too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppProps } from 'aws-cdk-lib';
import { createStintApp } from '../../infra/app.ts';

/** Settings that pass the schema with a Cognito pool of the stack's own; tests change what they test. */
export const COGNITO_STAGE = {
  account: '123456789012',
  region: 'eu-west-1',
  identity: 'cognito',
  cognitoDomain: 'stint-test-signin',
  firstAdmin: 'ada@example.com',
  mailFrom: 'pim@example.com',
} as const;

/** The same with an external OIDC issuer. */
export const OIDC_STAGE = {
  account: '123456789012',
  region: 'eu-west-1',
  identity: 'oidc',
  jwtIssuer: 'https://login.example.com/tenant/',
  jwtAudience: 'api://stint',
  portalClientId: 'portal-spa',
  firstAdmin: 'ada@example.com',
  mailFrom: 'pim@example.com',
} as const;

const dirs: string[] = [];

/** A fresh stages directory; removed by `removeStageDirs` (call it in afterAll). */
export function stagesDir(stages: Record<string, object> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'stint-stages-'));
  dirs.push(dir);
  for (const [name, settings] of Object.entries(stages)) writeStage(dir, name, settings);
  return dir;
}

export function writeStage(dir: string, name: string, settings: object): void {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(settings, null, 2));
}

export function removeStageDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface StageSynthOptions {
  /** Extra context, as `-c key=value` would give it. */
  readonly context?: Record<string, unknown>;
  /** Keep esbuild bundling (skipped unless asked: these tests read settings and names). */
  readonly bundle?: boolean;
  readonly outdir?: string;
}

/** Synthesizes stage `name` from `dir` through the CDK entry point, as `cdk synth -c stage=<name>` does. */
export function synthStage(dir: string, name: string | undefined, options: StageSynthOptions = {}) {
  const props: AppProps = {
    outdir: options.outdir,
    context: {
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...(name === undefined ? {} : { stage: name }),
      ...options.context,
    },
  };
  return createStintApp(props, { stagesDir: dir });
}

/** Writes `settings` as stage `name` in a fresh directory and synthesizes it. */
export function synthSettings(settings: object, options: StageSynthOptions & { name?: string } = {}) {
  const name = options.name ?? 'test';
  const dir = stagesDir({ [name]: settings });
  const result = synthStage(dir, name, options);
  return { ...result, dir };
}
