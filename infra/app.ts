/**
 * The CDK app. Everything a deployment varies comes from context (`-c key=value` or cdk.json), and every
 * setting has an offline default, so `cdk synth` works on a laptop or in CI with no AWS credentials.
 *
 *   npx cdk deploy [-c identity=cognito [-c cognitoDomain=prefix] [-c callbackUrls=url,url] | -c jwtIssuer=https://login.example.com/ -c jwtAudience=api://stint] \
 *     -c firstAdmin=ada@example.com [-c firstAdminName='Ada Lovelace'] -c mailFrom=pim@example.com [-c mailDomain=example.com] [-c portalUrl=https://…] [-c portalDomain=pim.example.com -c portalCertificateArn=arn:…] [-c portalClientId=… [-c portalScope=…]] [-c alarmEmail=ops@example.com] [-c auditRetentionDays=2555] [-c exportChunkBytes=N] \
 *     [-c jwksUrl=…] [-c subjectClaim=oid] [-c authoritativeClaims=upn] [-c accessTokenClaims=scp,roles] [-c personClaims=scp] [-c mfaClaims=acrs=c1] [-c authTimeClaim=…] [-c stage=stint-dev] [-c account=123456789012] [-c region=eu-west-1] \
 *     [-c awsInstanceArn=arn:aws:sso:::instance/ssoins-… -c awsIdentityStoreId=d-… [-c awsRegion=eu-west-1] [-c awsExcludedAccounts=111111111111,…] [-c awsRemoveUnmanaged=true]]
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSetting, SETTING } from '../shared/settings.ts';
import { StintStack, type StintStackProps } from './stint-stack.ts';
import type { AwsConnection } from './constructs/aws-connector.ts';
import { cognitoDomainPrefix } from './constructs/cognito-domain.ts';

/** Placeholders that synthesize but can never validate a real token (`.invalid` is a reserved TLD). */
export const PLACEHOLDER_ISSUER = 'https://jwt-issuer-not-configured.invalid';
export const PLACEHOLDER_AUDIENCE = 'jwt-audience-not-configured';
export const PLACEHOLDER_MAIL_FROM = 'pim@mail-not-configured.invalid';

/** Entra ID's token issuers (v2 and v1). */
const ENTRA_ISSUER = /^https:\/\/(login\.microsoftonline\.com|sts\.windows\.net)\//;

/**
 * What an OIDC issuer is trusted for, unless context says otherwise. Entra ID: its people are its `oid`
 * (as Stint has always linked them), it sets `upn` and `preferred_username` from its own directory, and
 * its access tokens are told from ID tokens by `scp`/`roles` (it sets neither `typ: at+jwt` nor
 * `token_use`). Any other provider: `sub`, its `upn` claim only, and RFC 9068 access tokens.
 */
export function issuerTrustDefaults(issuer: string): { subjectClaim: string; authoritativeClaims: string; accessTokenClaims?: string; personClaims?: string } {
  return ENTRA_ISSUER.test(issuer)
    ? { subjectClaim: 'oid', authoritativeClaims: 'upn,preferred_username', accessTokenClaims: 'scp,roles', personClaims: 'scp' }
    : { subjectClaim: 'sub', authoritativeClaims: 'upn' };
}

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string; got ${JSON.stringify(value)}.`);
  return value;
}

/**
 * Who issues tokens: `-c identity=cognito` (a user pool of the stack's own) or `-c identity=oidc` (your
 * provider, `-c jwtIssuer`/`jwtAudience`). Without `identity`, a given jwtIssuer means oidc and none means
 * cognito, so a first `cdk deploy` with no identity settings gets a working sign-in with MFA.
 */
function identityFromContext(app: App, stackName: string, account: string): { identity: StintStackProps['identity']; configured: boolean } {
  const issuer = contextString(app, 'jwtIssuer');
  const audience = contextString(app, 'jwtAudience');
  const kind = contextString(app, 'identity') ?? (issuer ? 'oidc' : 'cognito');
  if (kind !== 'cognito' && kind !== 'oidc') throw new Error(`Context "identity" is "cognito" or "oidc"; got "${kind}".`);
  if (kind === 'cognito') {
    if (issuer || audience)
      throw new Error('Context "identity=cognito" makes the stack its own token issuer: leave out jwtIssuer and jwtAudience (they are for identity=oidc).');
    // Never the account id: the prefix is public (infra/constructs/cognito-domain.ts).
    const domainPrefix = cognitoDomainPrefix(stackName, account, contextString(app, 'cognitoDomain'));
    const callbackUrls = contextString(app, 'callbackUrls')
      ?.split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    return { identity: { cognito: { domainPrefix, callbackUrls } }, configured: true };
  }
  const effectiveIssuer = issuer ?? PLACEHOLDER_ISSUER;
  const trust = issuerTrustDefaults(effectiveIssuer);
  return {
    identity: {
      issuer: effectiveIssuer,
      audience: audience ?? PLACEHOLDER_AUDIENCE,
      // Unset: the functions read jwks_uri from the issuer's discovery document, as API Gateway does.
      jwksUrl: contextString(app, 'jwksUrl'),
      upnClaims: contextString(app, 'upnClaim'),
      nameClaims: contextString(app, 'nameClaim'),
      subjectClaim: contextString(app, 'subjectClaim') ?? trust.subjectClaim,
      // `none`: the provider vouches for no name; only an email with email_verified links, or an administrator.
      authoritativeClaims: contextString(app, 'authoritativeClaims')?.replace(/^none$/, '') ?? trust.authoritativeClaims,
      accessTokenClaims: contextString(app, 'accessTokenClaims') ?? trust.accessTokenClaims,
      personClaims: contextString(app, 'personClaims') ?? trust.personClaims,
      mfaClaims: contextString(app, 'mfaClaims'),
      authTimeClaim: contextString(app, 'authTimeClaim'),
    },
    configured: issuer !== undefined && audience !== undefined,
  };
}

/** `-c portalDomain=pim.example.com -c portalCertificateArn=arn:aws:acm:us-east-1:…`: both or neither. */
function portalDomainFromContext(app: App): StintStackProps['portalDomain'] {
  const name = contextString(app, 'portalDomain');
  const certificateArn = contextString(app, 'portalCertificateArn');
  if (!name && !certificateArn) return undefined;
  if (!name || !certificateArn) throw new Error('Context "portalDomain" and "portalCertificateArn" go together: the name and its ACM certificate.');
  if (!/^arn:aws[a-z-]*:acm:us-east-1:/.test(certificateArn)) throw new Error(`CloudFront takes certificates from us-east-1 only; got "${certificateArn}".`);
  return { name, certificateArn };
}

const AWS_CONTEXT = ['awsIdentityStoreId', 'awsRegion', 'awsExcludedAccounts', 'awsRemoveUnmanaged'] as const;

/**
 * AWS access through IAM Identity Center: `-c awsInstanceArn` connects it, with `-c awsIdentityStoreId`. Each
 * value is checked as the functions will read it (shared/settings.ts), so a bad one fails the synth.
 */
function awsFromContext(app: App): AwsConnection | undefined {
  const instanceArn = readSetting(SETTING.awsInstanceArn, contextString(app, 'awsInstanceArn'));
  if (!instanceArn) {
    const stray = AWS_CONTEXT.filter((key) => contextString(app, key) !== undefined);
    if (stray.length) throw new Error(`Context ${stray.map((k) => `"${k}"`).join(', ')} configures AWS access, which needs "awsInstanceArn" too.`);
    return undefined;
  }
  const identityStoreId = readSetting(SETTING.awsIdentityStoreId, contextString(app, 'awsIdentityStoreId'));
  if (!identityStoreId)
    throw new Error(
      'Context "awsInstanceArn" and "awsIdentityStoreId" go together: the Identity Center instance and its identity store (aws sso-admin list-instances).',
    );
  return {
    instanceArn,
    identityStoreId,
    region: readSetting(SETTING.awsRegion, contextString(app, 'awsRegion')),
    excludedAccounts: readSetting(SETTING.awsExcludedAccounts, contextString(app, 'awsExcludedAccounts')),
    removeUnmanaged: readSetting(SETTING.awsRemoveUnmanaged, contextString(app, 'awsRemoveUnmanaged')) === 'true',
  };
}

export function createStintApp(props?: AppProps): { app: App; stack: StintStack } {
  const app = new App(props);
  // cdk-nag's AWS Solutions pack runs on every synth; a finding fails it unless acknowledged, with a reason, where it arises.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stackName = contextString(app, 'stage') ?? 'stint';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new Error(`Context "stage" names the CloudFormation stack: letters, digits and '-', starting with a letter; got "${stackName}".`);
  }
  const account = contextString(app, 'account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? '000000000000';
  const { identity, configured } = identityFromContext(app, stackName, account);
  const firstAdmin = contextString(app, 'firstAdmin');
  const portalClientId = contextString(app, 'portalClientId');
  if (portalClientId && 'cognito' in identity)
    throw new Error('Context "portalClientId" is for identity=oidc: with Cognito the stack makes the portal\'s client itself.');

  const aws = awsFromContext(app);

  const stack = new StintStack(app, 'Stint', {
    stackName,
    description: 'Stint: Privileged Identity Management for AWS, with the Microsoft Graph PIM API shape',
    // An explicit env lets synth run offline; the placeholder account is only for synth, never deploy.
    env: {
      account,
      region: contextString(app, 'region') ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
    },
    identity,
    mailFrom: contextString(app, 'mailFrom') ?? PLACEHOLDER_MAIL_FROM,
    portalUrl: contextString(app, 'portalUrl'),
    portalDomain: portalDomainFromContext(app),
    portalClient: portalClientId ? { clientId: portalClientId, scope: contextString(app, 'portalScope') } : undefined,
    mailDomain: contextString(app, 'mailDomain'),
    alarmEmail: contextString(app, 'alarmEmail'),
    // Checked as the functions will read them, so a bad value fails the synth, not the first invocation.
    auditRetentionDays: readSetting(SETTING.auditRetentionDays, contextString(app, 'auditRetentionDays')),
    exportChunkBytes: readSetting(SETTING.exportChunkBytes, contextString(app, 'exportChunkBytes')),
    firstAdmin: firstAdmin ? { userPrincipalName: firstAdmin, displayName: contextString(app, 'firstAdminName') } : undefined,
    aws,
  });
  if (!firstAdmin) {
    Annotations.of(stack).addWarning(
      'No first Global Administrator: pass -c firstAdmin=you@your-domain (the user principal name your identity provider puts in tokens), or nobody can administer a new deployment.',
    );
  }
  if (!contextString(app, 'mailFrom')) {
    Annotations.of(stack).addWarning(
      `No sender for notification emails: pass -c mailFrom=pim@your-domain (an address or domain verified in SES). Until then SES refuses to send from ${PLACEHOLDER_MAIL_FROM}.`,
    );
  }
  if (!('cognito' in identity) && !portalClientId) {
    Annotations.of(stack).addWarning(
      'No portal client: pass -c portalClientId=<the portal\'s client id at your issuer> (a public client with PKCE, redirect URI {PortalUrl}/callback; docs/deploy.md, "The portal"). Until then nobody can sign in to the portal.',
    );
  }
  if (aws && aws.excludedAccounts.length === 0) {
    Annotations.of(stack).addWarning(
      'AWS access without excluded accounts: pass -c awsExcludedAccounts=<your organization\'s management account id> (Identity Center\'s delegated administrator cannot assign into it, and Stint should never try; docs/deploy.md, "AWS access through IAM Identity Center").',
    );
  }
  if (!configured) {
    Annotations.of(stack).addWarning(
      `No token issuer configured: the API uses the placeholders ${PLACEHOLDER_ISSUER} / ${PLACEHOLDER_AUDIENCE} and will reject every token. ` +
        "Pass -c identity=cognito for a user pool of the stack's own, or -c jwtIssuer=https://your-issuer -c jwtAudience=your-audience (the signing keys are found through the issuer's discovery document).",
    );
  }
  return { app, stack };
}

// Run only as the CDK entry point (cdk.json "app"), not when a test imports createStintApp.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  createStintApp().app.synth();
}
