/**
 * `npm run deploy|diff|destroy -- <stage>`: the CDK command for one named stage. The stage is required
 * (a bare `cdk destroy` would act on whatever stage the app defaults to, not the one you deployed), must
 * have its settings file, and cannot be the example stage, which exists to synthesize, not to deploy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_STAGE } from './load.ts';

export const STAGE_COMMANDS = ['deploy', 'diff', 'destroy', 'import'] as const;
type StageCommand = (typeof STAGE_COMMANDS)[number];

/** What a teardown leaves, for the deployer to read before confirming (docs/deploy.md §10 says how to re-attach them). */
export const KEPT_ON_DESTROY = [
  'the DynamoDB table (deletion protection on): every assignment, request and the audit history',
  'with identity "cognito": the user pool (deletion protection on): everyone\'s sign-in and TOTP secret',
  "the stage's KMS key, which encrypts the kept log groups (billed $1 a month until you schedule its deletion)",
  "the functions', API's and state machine's log groups (their fixed names must be deleted before the stage is deployed again)",
  "the portal's S3 bucket (only the build) and the state machine's published versions",
];

/** The arguments for `npx cdk …`, or an error that says what to type instead. */
export function stageCommandArgs(argv: readonly string[], stagesDir: string): string[] {
  const [command, stage, ...rest] = argv;
  if (!STAGE_COMMANDS.includes(command as StageCommand)) throw new Error(`Usage: npm run <${STAGE_COMMANDS.join('|')}> -- <stage> [cdk options]`);
  if (!stage || stage.startsWith('-'))
    throw new Error(`npm run ${command} needs the stage, first: npm run ${command} -- <stage> (one of the stages/<stage>.json files you deployed).`);
  if (stage === EXAMPLE_STAGE)
    throw new Error(`Stage "${EXAMPLE_STAGE}" only synthesizes (its account is 000000000000): copy stages/${EXAMPLE_STAGE}.json to stages/<your stage>.json.`);
  if (!existsSync(join(stagesDir, `${stage}.json`))) throw new Error(`No stages/${stage}.json: name a stage that has its settings file.`);
  return ['cdk', command!, '-c', `stage=${stage}`, ...rest];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stagesDir = resolve(fileURLToPath(new URL('../../stages', import.meta.url)));
  let args: string[];
  try {
    args = stageCommandArgs(process.argv.slice(2), stagesDir);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (args[1] === 'destroy')
    console.error(`Destroying stage "${args[3]!.slice('stage='.length)}". Kept (docs/deploy.md §10):\n- ${KEPT_ON_DESTROY.join('\n- ')}\n`);
  const run = spawnSync('npx', args, { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
