/**
 * Every Stint Lambda: a NodejsFunction with the house defaults, so a new function cannot forget tracing,
 * log retention or a lean bundle, and the table grant always comes with the table name.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, ParamsAndSecretsLayerVersion, ParamsAndSecretsLogLevel, ParamsAndSecretsVersions, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../../shared/services/notifications/failure-report.ts';
import { TABLE_LOGICAL_ID } from './stint-table.ts';
import { StintLogs } from './stint-logs.ts';
import { SETTING } from '../../shared/settings.ts';

/** The repository root: esbuild resolves package.json "imports" (#store/*, …) and tsconfig from here. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** 'none': the function is not told the table and may not touch it (the public meta routes). */
export type TableAccess = 'none' | 'read' | 'readWrite';

export interface StintFunctionProps {
  /** Entry module, relative to the repository root (e.g. `functions/api/roles.ts`); it exports `handler`. */
  readonly entry: string;
  readonly description?: string;
  readonly environment?: Record<string, string>;
  /** @default 512 — more memory also buys CPU, which JWT verification and cold starts use. */
  readonly memorySize?: number;
  /** @default 10 seconds — API Gateway gives up at 30 s; a request needing more is a bug. */
  readonly timeout?: Duration;
  /**
   * The function reads secrets at run time (bindSecret): it gets the AWS Parameters and Secrets Lambda
   * Extension, which fetches them from Secrets Manager and caches them (shared/secret-value.ts).
   */
  readonly readsSecrets?: boolean;
}

/**
 * Credential providers the bundled SDK imports lazily and only when the environment holds no credentials,
 * which on Lambda it always does (the role's keys are in AWS_ACCESS_KEY_ID and friends). Left out of the
 * bundle (about 90 KB, with the STS/SSO clients they bring); were one ever needed, the runtime's own SDK
 * has it.
 */
export const UNUSED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * AWS access's clients (shared/services/aws/sdk-identity-center.ts imports them on first use only): taken
 * from the Lambda runtime's own SDK v3 rather than bundled, so the functions that never reach AWS access
 * (most of them, behind the shared services) carry none of their weight (about 200 KB minified). The calls
 * used are stable parts of those APIs; the contract tests run them against moto_server.
 */
export const RUNTIME_SDK_CLIENTS = ['@aws-sdk/client-sso-admin', '@aws-sdk/client-identitystore', '@aws-sdk/client-organizations'];

export class StintFunction extends NodejsFunction {
  private readonly readsSecrets: boolean;

  constructor(scope: Construct, id: string, props: StintFunctionProps) {
    // An explicit log group (rather than the one Lambda creates on first invocation) is the only way to
    // get retention and the stack's key without the deprecated log-retention custom resource. It is a
    // sibling because it must exist before super() runs.
    const logGroup = StintLogs.of(scope).logGroup(scope, `${id}Logs`, 'function');
    // Its own role that may write only to its own log group, instead of the AWS managed
    // AWSLambdaBasicExecutionRole (logs anywhere in the account).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `Stint: ${props.entry}` });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    super(scope, id, {
      role,
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      // Graviton: cheaper per millisecond and the code has no native modules.
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      ...(props.readsSecrets && {
        paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
          // As long as the function's own cache (shared/runtime.ts): a rotation is seen within ten minutes.
          secretsManagerTtl: Duration.minutes(5),
          logLevel: ParamsAndSecretsLogLevel.WARN,
        }),
      }),
      environment: {
        // Powertools (shared/observability): each Lambda logs and traces under its own service name.
        [SETTING.serviceName]: serviceNameOf(props.entry),
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        // The project is ESM ("type": "module"); a CommonJS dependency that calls require() still needs
        // a require in scope, which the banner provides.
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: "import { createRequire as __stintCreateRequire } from 'node:module'; const require = __stintCreateRequire(import.meta.url);",
        minify: true,
        // No source map: with --enable-source-maps every cold start read a 4 MB map, and the map in the
        // asset quadrupled what Lambda downloads. Errors are logged with their message and Graph code;
        // to read a minified stack frame, bundle the same commit with a map locally.
        sourceMap: false,
        // Ship the SDK version the tests ran against, not whatever the runtime happens to carry; one
        // minified file also imports faster than the runtime's SDK spread over node_modules (README,
        // "Performance").
        bundleAwsSDK: true,
        externalModules: [...UNUSED_CREDENTIAL_PROVIDERS, ...RUNTIME_SDK_CLIENTS],
        // esbuild is a devDependency: bundle on this machine; there is no Docker here or in CI.
        forceDockerBundling: false,
      },
    });
    this.executionRole = role;
    this.readsSecrets = props.readsSecrets ?? false;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) accept only "*", as does dynamodb:ListStreams for the stream consumers; no other action is granted on "*".',
    });
  }

  /** The function's own role (its policies are acknowledged for cdk-nag here, where they are granted). */
  readonly executionRole: Role;

  /**
   * Lets the function read `secret` at run time and tells it, in `setting`, which secret that is: its ARN,
   * never its value, goes in the environment.
   */
  bindSecret(secret: ISecret, setting: string): void {
    if (!this.readsSecrets) throw new Error(`${this.node.path} reads a secret: give it readsSecrets: true.`);
    secret.grantRead(this);
    this.addEnvironment(setting, secret.secretArn);
  }

  /** Grants the least table access the function needs and tells it which table that is. */
  bindTable(table: ITable, access: TableAccess): void {
    if (access === 'none') return;
    this.addEnvironment(SETTING.tableName, table.tableName);
    if (access === 'readWrite') table.grantReadWriteData(this);
    else table.grantReadData(this);
    Validations.of(this.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${TABLE_LOGICAL_ID}.Arn>/index/*]`,
      reason: 'Access patterns query the global secondary indexes of the single table (shared/store/README.md); every index is in use.',
    });
  }
}

/** `functions/api/roles.ts` → `stint-roles`: the service name in logs, traces and metrics. */
export function serviceNameOf(entry: string): string {
  return `stint-${basename(entry).replace(/\.[cm]?[jt]s$/, '')}`;
}
