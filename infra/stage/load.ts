/**
 * Reads a stage's settings: `-c stage=<name>` picks `stages/<name>.json`, which the schema checks whole.
 * The only `-c` keys Stint takes are `stage` and `accept`; a setting given as `-c` is refused rather than
 * merged, so what is deployed is always what the committed file says.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { STAGE_KEYS, stageSettingsSchema, type StageSettings } from './schema.ts';

/** The stage `cdk synth` uses without `-c stage`: settings that synthesize offline and can never deploy (account 000000000000). */
export const EXAMPLE_STAGE = 'example';

/** Context keys that are Stint's own; every other key must be CDK's (feature flags, lookups, CLI switches). */
export const STINT_CONTEXT = ['stage', 'accept'] as const;

const CDK_CONTEXT = new Set(['cli-telemetry', 'acknowledged-issue-numbers']);
const isCdkContext = (key: string) => key.includes(':') || key.startsWith('@') || CDK_CONTEXT.has(key);

export class StageSettingsError extends Error {
  override name = 'StageSettingsError';
}

export interface LoadedStage {
  readonly name: string;
  /** The stage file, as the messages name it (relative to the working directory when inside it). */
  readonly file: string;
  readonly settings: StageSettings;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** Refuses context keys Stint does not read, saying where each belongs instead. */
export function checkContextKeys(context: Record<string, unknown>, stageFile: string): void {
  const problems = Object.keys(context)
    .filter((key) => !isCdkContext(key) && !(STINT_CONTEXT as readonly string[]).includes(key))
    .map((key) =>
      STAGE_KEYS.includes(key)
        ? `"-c ${key}" is a setting: put "${key}" in ${stageFile} instead (settings are kept in the stage file, so no deploy can forget one).`
        : `"-c ${key}" is not a Stint setting. The only -c keys are stage=<name> and accept=identity|mail; the settings a stage file may hold are: ${STAGE_KEYS.filter((k) => k !== '$comment').join(', ')}.`,
    );
  if (problems.length) throw new StageSettingsError(`Unknown context:\n  ${problems.join('\n  ')}`);
}

/** `-c stage=<name>` (default: the example stage), checked, since it names the stack and every physical name. */
export function stageName(app: App): string {
  const value: unknown = app.node.tryGetContext('stage');
  const name = value === undefined || value === '' ? EXAMPLE_STAGE : value;
  // Lowercase: the stage prefixes names that allow no capitals (the Cognito domain, S3-style names).
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(name))
    throw new StageSettingsError(
      `Context "stage" names the stage (its file, stack and resources): lowercase letters, digits and '-', starting with a letter, at most 40; got ${JSON.stringify(name)}.`,
    );
  return name;
}

/** Reads and checks `<stagesDir>/<name>.json`; every problem is reported at once, each with what to do. */
export function loadStage(name: string, stagesDir: string): LoadedStage {
  const path = join(stagesDir, `${name}.json`);
  const file = shown(path);
  if (!existsSync(path))
    throw new StageSettingsError(
      `No settings for stage "${name}": create ${file} (copy ${shown(join(stagesDir, `${EXAMPLE_STAGE}.json`))} and change every value; docs/deploy.md §2 lists the keys), then commit it.`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new StageSettingsError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = stageSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return issue.keys
          .map((k) => `"${k}" is not a setting (misspelt?); the settings are: ${STAGE_KEYS.filter((s) => s !== '$comment').join(', ')}`)
          .join('\n  ');
      const key = issue.path.join('.');
      const top = issue.path[0];
      if (issue.code !== 'custom' && issue.path.length === 1 && typeof raw === 'object' && raw !== null && !(String(top) in raw))
        return `"${key}" is required: add it`;
      return key ? `"${key}" ${issue.message}` : issue.message;
    });
    throw new StageSettingsError(`${file} has settings synth cannot use (docs/deploy.md §2):\n  ${lines.join('\n  ')}`);
  }
  const stage = { name, file, settings: parsed.data };
  checkNeighbours(stage, stagesDir);
  return stage;
}

/**
 * Stages side by side in one account and region share two names that the stage cannot prefix: the
 * Cognito domain prefix (unique in the region) and the SES identity (one per address or domain). Two
 * stage files that would both create the same one fail here, not halfway through the second create.
 */
function checkNeighbours(stage: LoadedStage, stagesDir: string): void {
  const s = stage.settings;
  const problems: string[] = [];
  for (const entry of readdirSync(stagesDir).filter((f) => f.endsWith('.json') && !f.endsWith('.lock.json') && f !== `${stage.name}.json`)) {
    let other: Partial<StageSettings>;
    try {
      other = JSON.parse(readFileSync(join(stagesDir, entry), 'utf8')) as Partial<StageSettings>;
    } catch {
      continue; // its own synth reports it
    }
    if (other.region !== s.region) continue;
    if (s.cognitoDomain && other.cognitoDomain === s.cognitoDomain)
      problems.push(`"cognitoDomain" "${s.cognitoDomain}" is also ${entry}'s: domain prefixes are unique in a region, so choose another for one of them.`);
    const mail = s.mailDomain ?? s.mailFrom;
    if (other.account === s.account && (other.mailDomain ?? other.mailFrom) === mail && !s.mailIdentityExists && !other.mailIdentityExists)
      problems.push(
        `${entry} sends as "${mail}" in the same account and region, and SES has one identity per address or domain: add "mailIdentityExists": true to the stage deployed second.`,
      );
  }
  if (problems.length) throw new StageSettingsError(`${stage.file} clashes with another stage:\n  ${problems.join('\n  ')}`);
}
