/**
 * The CDK app. A deployment's settings are its stage file, `stages/<stage>.json`, checked whole by one
 * schema (infra/stage/schema.ts); `-c stage=<name>` picks it, and without it synth uses the example stage,
 * which works offline, on a laptop or in CI, with no AWS credentials (and can never deploy).
 *
 *   npm run deploy -- <stage>          # npx cdk deploy -c stage=<stage>
 *   npm run synth -- -c stage=<stage>  # the template, offline
 *   npm run deploy -- <stage> -c accept=identity|mail       # once, after a deliberate change of either
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSetting, SETTING } from '../shared/settings.ts';
import { StintStack, type StintStackProps } from './stint-stack.ts';
import { StintRetainedStack } from './retained-stack.ts';
import type { AwsConnection } from './constructs/aws-connector.ts';
import { REPO_ROOT } from './constructs/stint-function.ts';
import { checkContextKeys, loadStage, StageSettingsError, stageName, type LoadedStage } from './stage/load.ts';
import { acceptedChanges, checkLock, writeLock } from './stage/lock.ts';
import type { StageSettings } from './stage/schema.ts';

/** Where stage files live unless a caller (a test) says otherwise. */
export const STAGES_DIR = resolve(REPO_ROOT, 'stages');

/** Entra ID's token issuers (v2 and v1). */
const ENTRA_ISSUER = /^https:\/\/(login\.microsoftonline\.com|sts\.windows\.net)\//;

/**
 * What an OIDC issuer is trusted for, unless the stage says otherwise. Entra ID: its people are its `oid`
 * (as Stint has always linked them), it sets `upn` and `preferred_username` from its own directory, and
 * its access tokens are told from ID tokens by `scp`/`roles` (it sets neither `typ: at+jwt` nor
 * `token_use`). Any other provider: `sub`, its `upn` claim only, and RFC 9068 access tokens.
 */
export function issuerTrustDefaults(issuer: string): { subjectClaim: string; authoritativeClaims: string; accessTokenClaims?: string; personClaims?: string } {
  return ENTRA_ISSUER.test(issuer)
    ? { subjectClaim: 'oid', authoritativeClaims: 'upn,preferred_username', accessTokenClaims: 'scp,roles', personClaims: 'scp' }
    : { subjectClaim: 'sub', authoritativeClaims: 'upn' };
}

/** Who issues tokens: a user pool of the stack's own, or your provider. The schema has made sure the kind's keys are there. */
function identityFromSettings(s: StageSettings): StintStackProps['identity'] {
  if (s.identity === 'cognito') return { cognito: { domainPrefix: s.cognitoDomain!, callbackUrls: s.callbackUrls } };
  const issuer = s.jwtIssuer!;
  const trust = issuerTrustDefaults(issuer);
  return {
    issuer,
    audience: s.jwtAudience!,
    // Unset: the functions read jwks_uri from the issuer's discovery document, as API Gateway does.
    jwksUrl: s.jwksUrl,
    upnClaims: s.upnClaim,
    nameClaims: s.nameClaim,
    subjectClaim: s.subjectClaim ?? trust.subjectClaim,
    // `none`: the provider vouches for no name; only an email with email_verified links, or an administrator.
    authoritativeClaims: s.authoritativeClaims?.replace(/^none$/, '') ?? trust.authoritativeClaims,
    accessTokenClaims: s.accessTokenClaims ?? trust.accessTokenClaims,
    personClaims: s.personClaims ?? trust.personClaims,
    mfaClaims: s.mfaClaims,
    authTimeClaim: s.authTimeClaim,
  };
}

/**
 * AWS access through IAM Identity Center: `awsInstanceArn` connects it, with `awsIdentityStoreId`. Each
 * value is checked as the functions will read it (shared/settings.ts), so a bad one fails the synth.
 */
function awsFromSettings(s: StageSettings): AwsConnection | undefined {
  const instanceArn = readSetting(SETTING.awsInstanceArn, s.awsInstanceArn);
  if (!instanceArn) return undefined;
  return {
    instanceArn,
    identityStoreId: readSetting(SETTING.awsIdentityStoreId, s.awsIdentityStoreId)!,
    region: readSetting(SETTING.awsRegion, s.awsRegion),
    excludedAccounts: readSetting(SETTING.awsExcludedAccounts, s.awsExcludedAccounts?.join(',')),
    removeUnmanaged: s.awsRemoveUnmanaged === true,
  };
}

/** The stack's props from a checked stage file. */
export function stackPropsOf(stage: LoadedStage): StintStackProps {
  const s = stage.settings;
  return {
    stackName: stage.name,
    stage: stage.name,
    description: 'Stint: Privileged Identity Management for AWS, with the Microsoft Graph PIM API shape',
    env: { account: s.account, region: s.region },
    identity: identityFromSettings(s),
    mailFrom: s.mailFrom,
    mailDomain: s.mailDomain,
    mailIdentityExists: s.mailIdentityExists === true,
    portalUrl: s.portalUrl,
    portalDomain: s.portalDomain ? { name: s.portalDomain, certificateArn: s.portalCertificateArn! } : undefined,
    portalClient: s.portalClientId ? { clientId: s.portalClientId, scope: s.portalScope } : undefined,
    alarmEmail: s.alarmEmail,
    // Checked as the functions will read them, so a bad value fails the synth, not the first invocation.
    auditRetentionDays: readSetting(SETTING.auditRetentionDays, s.auditRetentionDays?.toString()),
    exportChunkBytes: readSetting(SETTING.exportChunkBytes, s.exportChunkBytes?.toString()),
    // Unset: each log group's own default (infra/constructs/stint-logs.ts).
    logRetentionDays: s.logRetentionDays,
    apiDomain: s.apiDomain ? { name: s.apiDomain, certificateArn: s.apiCertificateArn! } : undefined,
    disableExecuteApiEndpoint: s.disableExecuteApiEndpoint,
    permissionsBoundaryArn: s.permissionsBoundary,
    importRetained: s.importRetained === true,
    firstAdmin: { userPrincipalName: s.firstAdmin, displayName: s.firstAdminName },
    aws: awsFromSettings(s),
  };
}

export interface StintAppOptions {
  /** Where the stage files are; default the repository's `stages/`. */
  readonly stagesDir?: string;
}

export function createStintApp(props?: AppProps, options: StintAppOptions = {}): { app: App; stack: StintStack | StintRetainedStack; stage: LoadedStage } {
  const app = new App(props);
  const stagesDir = options.stagesDir ?? STAGES_DIR;
  const name = stageName(app);
  checkContextKeys(app.node.getAllContext() as Record<string, unknown>, `stages/${name}.json`);
  const stage = loadStage(name, stagesDir);
  const record = checkLock(stage, stagesDir, acceptedChanges(app.node.tryGetContext('accept')));
  // cdk-nag's AWS Solutions pack runs on every synth; a finding fails it unless acknowledged, with a reason, where it arises.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stackProps = stackPropsOf(stage);
  const stack = stackProps.importRetained ? new StintRetainedStack(app, 'Stint', stackProps) : new StintStack(app, 'Stint', stackProps);
  if (stackProps.aws && stackProps.aws.excludedAccounts.length === 0) {
    Annotations.of(stack).addWarning(
      `AWS access without excluded accounts: add "awsExcludedAccounts": ["<your organization's management account id>"] to ${stage.file} (Identity Center's delegated administrator cannot assign into it, and Stint should never try; docs/deploy.md, "AWS access through IAM Identity Center").`,
    );
  }
  // Written last, once everything above has synthesized: a stage that fails synth records nothing.
  if (record) writeLock(stagesDir, name, record);
  return { app, stack, stage };
}

// Run only as the CDK entry point (cdk.json "app"), not when a test imports createStintApp.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    createStintApp().app.synth();
  } catch (error) {
    // A settings problem is the deployer's to fix: its message says how, and a stack trace would bury it.
    if (!(error instanceof StageSettingsError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
