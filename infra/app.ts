/**
 * The CDK app. Everything a deployment varies comes from context (`-c key=value` or cdk.json), and every
 * setting has an offline default, so `cdk synth` works on a laptop or in CI with no AWS credentials.
 *
 *   npx cdk deploy -c jwtIssuer=https://login.example.com/ -c jwtAudience=api://stint \
 *     -c firstAdmin=ada@example.com [-c firstAdminName='Ada Lovelace'] -c mailFrom=pim@example.com [-c mailDomain=example.com] [-c portalUrl=https://…] [-c alarmEmail=ops@example.com] \
 *     [-c jwksUrl=…] [-c stage=stint-dev] [-c account=123456789012] [-c region=eu-west-1]
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StintIdentity } from './constructs/stint-api.ts';
import { StintStack } from './stint-stack.ts';

/** Placeholders that synthesize but can never validate a real token (`.invalid` is a reserved TLD). */
export const PLACEHOLDER_ISSUER = 'https://jwt-issuer-not-configured.invalid';
export const PLACEHOLDER_AUDIENCE = 'jwt-audience-not-configured';
export const PLACEHOLDER_MAIL_FROM = 'pim@mail-not-configured.invalid';

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string; got ${JSON.stringify(value)}.`);
  return value;
}

/** The external OIDC issuer option. (A Cognito user pool created by the stack is a later option.) */
function identityFromContext(app: App): { identity: StintIdentity; configured: boolean } {
  const issuer = contextString(app, 'jwtIssuer');
  const audience = contextString(app, 'jwtAudience');
  const effectiveIssuer = issuer ?? PLACEHOLDER_ISSUER;
  return {
    identity: {
      issuer: effectiveIssuer,
      audience: audience ?? PLACEHOLDER_AUDIENCE,
      // Cognito and most OIDC providers publish keys here; others (Okta: /v1/keys) need -c jwksUrl=….
      jwksUrl: contextString(app, 'jwksUrl') ?? `${effectiveIssuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
    },
    configured: issuer !== undefined && audience !== undefined,
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
  const { identity, configured } = identityFromContext(app);
  const firstAdmin = contextString(app, 'firstAdmin');

  const stack = new StintStack(app, 'Stint', {
    stackName,
    description: 'Stint: Privileged Identity Management for AWS, with the Microsoft Graph PIM API shape',
    // An explicit env lets synth run offline; the placeholder account is only for synth, never deploy.
    env: {
      account: contextString(app, 'account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? '000000000000',
      region: contextString(app, 'region') ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
    },
    identity,
    mailFrom: contextString(app, 'mailFrom') ?? PLACEHOLDER_MAIL_FROM,
    portalUrl: contextString(app, 'portalUrl'),
    mailDomain: contextString(app, 'mailDomain'),
    alarmEmail: contextString(app, 'alarmEmail'),
    firstAdmin: firstAdmin ? { userPrincipalName: firstAdmin, displayName: contextString(app, 'firstAdminName') } : undefined,
  });
  if (!firstAdmin) {
    Annotations.of(stack).addWarning('No first Global Administrator: pass -c firstAdmin=you@your-domain (the user principal name your identity provider puts in tokens), or nobody can administer a new deployment.');
  }
  if (!contextString(app, 'mailFrom')) {
    Annotations.of(stack).addWarning(`No sender for notification emails: pass -c mailFrom=pim@your-domain (an address or domain verified in SES). Until then SES refuses to send from ${PLACEHOLDER_MAIL_FROM}.`);
  }
  if (!configured) {
    Annotations.of(stack).addWarning(
      `No token issuer configured: the API uses the placeholders ${PLACEHOLDER_ISSUER} / ${PLACEHOLDER_AUDIENCE} and will reject every token. ` +
        'Pass -c jwtIssuer=https://your-issuer -c jwtAudience=your-audience (and -c jwksUrl=… if the keys are not at {issuer}/.well-known/jwks.json).',
    );
  }
  return { app, stack };
}

// Run only as the CDK entry point (cdk.json "app"), not when a test imports createStintApp.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  createStintApp().app.synth();
}
