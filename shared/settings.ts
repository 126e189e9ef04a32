/**
 * Every setting Stint reads from its environment, in one place: the variable names (SETTING, which the CDK
 * constructs use when they set a function's environment, so a name cannot drift between the two) and one
 * zod-checked reader, readSettings. Each group is parsed the first time it is used, so a handler parses
 * only what it needs (a stream consumer never needs the JWT settings) and a bad value fails that first
 * use loudly, naming the variable, instead of a later request quietly. README.md, "Configuration", lists
 * them all. infra/ imports this at synth time: zod and pure modules only, no SDK clients.
 */
import * as z from 'zod';
import { claimMappingFrom, mfaEvidenceFrom, type ClaimMapping } from './auth/claim-mapping.ts';
import type { IssuerTrust } from './auth/token-verifier.ts';
import { DEFAULT_TABLE_NAME } from './store/table-schema.ts';

/** The environment variables, by what they set. */
export const SETTING = {
  region: 'AWS_REGION',
  defaultRegion: 'AWS_DEFAULT_REGION',
  tableName: 'STINT_TABLE_NAME',
  dynamoEndpoint: 'STINT_DYNAMODB_ENDPOINT',
  auditRetentionDays: 'STINT_AUDIT_RETENTION_DAYS',
  jwtIssuer: 'STINT_JWT_ISSUER',
  jwtAudience: 'STINT_JWT_AUDIENCE',
  jwksUrl: 'STINT_JWKS_URL',
  claimUpn: 'STINT_CLAIM_UPN',
  claimName: 'STINT_CLAIM_NAME',
  subjectClaim: 'STINT_SUBJECT_CLAIM',
  authoritativeClaims: 'STINT_AUTHORITATIVE_CLAIMS',
  accessTokenClaims: 'STINT_ACCESS_TOKEN_CLAIMS',
  personClaims: 'STINT_PERSON_CLAIMS',
  mfaClaims: 'STINT_MFA_CLAIMS',
  authTimeClaim: 'STINT_AUTH_TIME_CLAIM',
  issuerIsStackPool: 'STINT_ISSUER_IS_STACK_POOL',
  pageTokenSecret: 'STINT_PAGE_TOKEN_SECRET',
  pageTokenSecretId: 'STINT_PAGE_TOKEN_SECRET_ID',
  secretsEndpoint: 'STINT_SECRETS_ENDPOINT',
  secretsExtensionPort: 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
  maxBodyBytes: 'STINT_MAX_BODY_BYTES',
  exportChunkBytes: 'STINT_EXPORT_CHUNK_BYTES',
  portalUrl: 'STINT_PORTAL_URL',
  mailFrom: 'STINT_MAIL_FROM',
  sesEndpoint: 'STINT_SES_ENDPOINT',
  eventBus: 'STINT_EVENT_BUS',
  lifecycleArn: 'STINT_LIFECYCLE_ARN',
  poolMfa: 'STINT_POOL_MFA',
  port: 'PORT',
  httpsPort: 'STINT_HTTPS_PORT',
  dynamoPort: 'STINT_DYNAMODB_PORT',
  dataDir: 'STINT_DATA_DIR',
  sesPort: 'STINT_SES_PORT',
  sweepSeconds: 'STINT_SWEEP_SECONDS',
  lambdaFunctionName: 'AWS_LAMBDA_FUNCTION_NAME',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  recordDynamoCalls: 'STINT_RECORD_DYNAMO_CALLS',
  awsInstanceArn: 'STINT_AWS_INSTANCE_ARN',
  awsIdentityStoreId: 'STINT_AWS_IDENTITY_STORE_ID',
  awsRegion: 'STINT_AWS_REGION',
  awsEndpoint: 'STINT_AWS_ENDPOINT',
  awsExcludedAccounts: 'STINT_AWS_EXCLUDED_ACCOUNTS',
  awsRemoveUnmanaged: 'STINT_AWS_REMOVE_UNMANAGED',
  awsPort: 'STINT_AWS_PORT',
} as const;

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

/** Values in place of the environment's, by variable name: checked exactly as if they were set. */
export type SettingValues = Partial<Record<SettingName, string>>;

export const LOCAL_PORTAL_URL = 'http://localhost:3000/portal';
export const DEFAULT_MAIL_FROM = 'pim@contoso.test';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** An export chunk must stay below API Gateway's 6 MB response with its headers and one record past the limit. */
export const MAX_EXPORT_CHUNK_BYTES = 5 * 1024 * 1024;

/** Where the table is and how audit records age; every runtime needs it. */
export interface StoreSettings {
  region: string;
  /** Set only for DynamoDB Local. */
  dynamoEndpoint?: string;
  tableName: string;
  /** Days audit records are kept; unset, the default, keeps them forever. */
  auditRetentionDays?: number;
}

/** What only the API needs: whom to trust, how to sign page links, how much to accept and send. */
export interface ApiSettings {
  /** `jwksUrl` unset: the keys are where the issuer's discovery document says (shared/auth/discovered-key-set.ts). */
  jwt: { issuer: string; audience: string; jwksUrl?: string; claims?: ClaimMapping; trust?: IssuerTrust };
  /**
   * The key that signs paging tokens so clients cannot forge raw keys: the Secrets Manager secret to read
   * it from at run time (`pageTokenSecretId`, as deployed and as `npm start` runs), or the value itself
   * (tests and scripts). Public routes need neither; the first other request without one fails.
   */
  pageTokenSecret?: string;
  pageTokenSecretId?: string;
  /** Where secrets are read: the Parameters and Secrets Lambda Extension (the default), or its local stand-in. */
  secretsEndpoint?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Largest audit export chunk, in bytes; unset, shared/services/audit-export.ts's CHUNK_BYTES (4 MiB). */
  exportChunkBytes?: number;
}

/** The API runtime's settings (shared/runtime.ts). */
export type Config = StoreSettings & ApiSettings;

/** What the notifications outbox needs; none of it is required, so a stream function needs no JWT settings. */
export interface NotificationSettings {
  /** Where people open requests and approvals; every email links below it. */
  portalUrl: string;
  /** The From address of every email (a verified SES identity in AWS). */
  mailFrom: string;
  /** Set only for the local SES stand-in (aws-ses-v2-local). */
  sesEndpoint?: string;
  /** EventBridge bus for domain events; absent locally, where events stay in memory and the log. */
  eventBusName?: string;
}

export interface WorkflowSettings {
  /** The request-lifecycle state machine (or its alias) that runs are started on and signalled. */
  lifecycleArn: string;
}

export interface IdentityPoolSettings {
  /** The stack's Cognito pool requires MFA (its construct says so), so the trigger may claim it. */
  mfaRequired: boolean;
}

/** `npm start` only (infra/local/start.ts). */
export interface LocalSettings {
  port: number;
  /** Absent: no HTTPS server ('off'). */
  httpsPort?: number;
  dynamoPort: number;
  dataDir: string;
  /** false: no local SES ('off'). */
  sesPort: number | false;
  sweepSeconds: number;
}

/**
 * AWS access through IAM Identity Center (shared/services/aws/). Unset instance: AWS access is not
 * connected, and the AWS provider's routes say so.
 */
export interface AwsAccessSettings {
  /** The Identity Center instance, e.g. arn:aws:sso:::instance/ssoins-1234567890abcdef. */
  instanceArn?: string;
  /** Its identity store, e.g. d-1234567890. */
  identityStoreId?: string;
  /** The region Identity Center lives in; unset, the store's. */
  region: string;
  /** Set only for the local emulator (moto_server). */
  endpoint?: string;
  /** Accounts Stint never assigns into (the management account, Stint's own account). */
  excludedAccounts: string[];
  /** Whether the reconciler removes assignments on managed permission sets that Stint never granted. */
  removeUnmanaged: boolean;
  /** `npm start` only: the emulator's port, or false for none. */
  localPort: number | false;
}

/** Powertools' own variables, read by shared/observability. */
export interface ObservabilitySettings {
  /** Lambda sets AWS_LAMBDA_FUNCTION_NAME; the local stack and tests do not. */
  onLambda: boolean;
  serviceName: string;
  /** The benchmark's DynamoDB call and capacity recording (shared/observability/dynamo-calls.ts). */
  recordDynamoCalls: boolean;
}

export interface Settings {
  readonly store: StoreSettings;
  readonly api: ApiSettings;
  readonly notifications: NotificationSettings;
  readonly workflow: WorkflowSettings;
  readonly identityPool: IdentityPoolSettings;
  readonly local: LocalSettings;
  readonly observability: ObservabilitySettings;
  readonly aws: AwsAccessSettings;
}

/** A setting that is missing or malformed: the message names each variable and what it must be. */
export class SettingsError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

// One schema per variable: the value as set (a string, or absent) to the value used. An empty string counts
// as unset, as a shell's `NAME=` means. Each message says what the value must be; the reader adds the name.
const unset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(unset, z.string().trim().optional());
const text = (fallback: string) => z.preprocess(unset, z.string().trim().default(fallback));
const requiredText = (what: string) => z.preprocess(unset, z.string({ error: `is required: ${what}` }).trim());
const url = (what: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL: ${what}` });
const optionalUrl = (what: string) => z.preprocess(unset, url(what).optional());
/** A whole number in [min, max]; `what` completes "must be a whole number …". */
const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: `must be a whole number ${what}` });
      return z.NEVER;
    });
const optionalNumber = (min: number, max: number, what: string) => z.preprocess(unset, wholeNumber(min, max, what).optional());
const numberOr = (fallback: number, min: number, max: number, what: string) =>
  z.preprocess(unset, wholeNumber(min, max, what).optional()).transform((n) => n ?? fallback);
const port = (fallback: number) => numberOr(fallback, 0, 65_535, 'from 0 to 65535 (0: any free port)');
/** A port, or 'off' (false) for none. */
const portOrOff = (fallback: number) =>
  z.preprocess(
    unset,
    z
      .string()
      .trim()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return fallback;
        if (value === 'off') return false as const;
        const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
        if (n <= 65_535) return n;
        ctx.addIssue({ code: 'custom', message: "must be a port from 0 to 65535, or 'off'" });
        return z.NEVER;
      }),
  );
const flag = z.preprocess(unset, z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).optional());
const list = z.preprocess(
  unset,
  z
    .string()
    .optional()
    .transform(
      (value) =>
        value
          ?.split(',')
          .map((c) => c.trim())
          .filter(Boolean) ?? [],
    ),
);

const storeSchema = z.object({
  [SETTING.region]: optionalText,
  [SETTING.defaultRegion]: optionalText,
  [SETTING.tableName]: text(DEFAULT_TABLE_NAME),
  [SETTING.dynamoEndpoint]: optionalUrl('DynamoDB Local, e.g. http://127.0.0.1:8000'),
  [SETTING.auditRetentionDays]: optionalNumber(1, 100_000, 'of days from 1 to 100000, or unset to keep audit records forever'),
});

const apiSchema = z.object({
  [SETTING.jwtIssuer]: requiredText("the token issuer (the tokens' iss)"),
  [SETTING.jwtAudience]: requiredText('the audience, or several separated by commas'),
  [SETTING.jwksUrl]: optionalUrl("the issuer's key set (JWKS); unset, the jwks_uri of its discovery document"),
  [SETTING.claimUpn]: optionalText,
  [SETTING.claimName]: optionalText,
  [SETTING.subjectClaim]: text('sub'),
  [SETTING.authoritativeClaims]: list,
  [SETTING.accessTokenClaims]: list,
  [SETTING.personClaims]: list,
  [SETTING.mfaClaims]: list.refine((entries) => entries.every((e) => /^[^=\s][^=]*=.*\S/.test(e)), {
    error: 'must be claim=value entries separated by commas, e.g. amr=mfa or acrs=c1',
  }),
  [SETTING.authTimeClaim]: text('auth_time'),
  [SETTING.issuerIsStackPool]: flag,
  [SETTING.pageTokenSecret]: optionalText,
  [SETTING.pageTokenSecretId]: optionalText,
  [SETTING.secretsEndpoint]: optionalUrl('the secrets endpoint, e.g. http://localhost:2773'),
  [SETTING.secretsExtensionPort]: numberOr(2773, 1, 65_535, 'from 1 to 65535 (set by the Parameters and Secrets Lambda Extension)'),
  [SETTING.maxBodyBytes]: numberOr(DEFAULT_MAX_BODY_BYTES, 1, 10 * 1024 * 1024, 'of bytes from 1 to 10485760'),
  [SETTING.exportChunkBytes]: optionalNumber(
    1024,
    MAX_EXPORT_CHUNK_BYTES,
    `of bytes from 1024 to ${MAX_EXPORT_CHUNK_BYTES} (API Gateway answers at most 6 MB)`,
  ),
});

const notificationSchema = z.object({
  [SETTING.portalUrl]: z.preprocess(unset, url('where people open requests, e.g. https://pim.example.com').default(LOCAL_PORTAL_URL)),
  [SETTING.mailFrom]: z.preprocess(unset, z.email({ error: 'must be an email address (the From of every notification)' }).default(DEFAULT_MAIL_FROM)),
  [SETTING.sesEndpoint]: optionalUrl('the local SES stand-in'),
  [SETTING.eventBus]: optionalText,
});

const workflowSchema = z.object({ [SETTING.lifecycleArn]: requiredText('the request-lifecycle state machine') });

const identityPoolSchema = z.object({ [SETTING.poolMfa]: z.preprocess(unset, z.enum(['required'], { error: "must be 'required' or unset" }).optional()) });

const localSchema = z.object({
  [SETTING.port]: port(3000),
  [SETTING.httpsPort]: portOrOff(3443),
  [SETTING.dynamoPort]: port(8000),
  [SETTING.dataDir]: text('.stint/data'),
  [SETTING.sesPort]: portOrOff(8005),
  [SETTING.sweepSeconds]: numberOr(60, 1, 86_400, 'of seconds from 1 to 86400'),
});

const observabilitySchema = z.object({
  [SETTING.lambdaFunctionName]: optionalText,
  [SETTING.serviceName]: text('stint'),
  [SETTING.recordDynamoCalls]: z.preprocess(unset, z.enum(['0', '1'], { error: "must be '1' (record) or '0'" }).optional()),
});

const accountId = z.string().regex(/^\d{12}$/, 'must be 12-digit AWS account ids separated by commas');
const awsSchema = z.object({
  [SETTING.awsInstanceArn]: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(
        /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
        'must be an Identity Center instance ARN, e.g. arn:aws:sso:::instance/ssoins-1234567890abcdef',
      )
      .optional(),
  ),
  [SETTING.awsIdentityStoreId]: z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(/^d-[0-9a-z]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be an identity store id, e.g. d-1234567890')
      .optional(),
  ),
  [SETTING.awsRegion]: optionalText,
  [SETTING.awsEndpoint]: optionalUrl('the local emulator, e.g. http://127.0.0.1:5055'),
  [SETTING.awsExcludedAccounts]: z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform(
        (v) =>
          v
            ?.split(',')
            .map((c) => c.trim())
            .filter(Boolean) ?? [],
      )
      .pipe(z.array(accountId)),
  ),
  [SETTING.awsRemoveUnmanaged]: flag,
  [SETTING.awsPort]: portOrOff(5055),
});

const SCHEMAS = [storeSchema, apiSchema, notificationSchema, workflowSchema, identityPoolSchema, localSchema, observabilitySchema, awsSchema];
type Shapes = typeof storeSchema.shape &
  typeof apiSchema.shape &
  typeof notificationSchema.shape &
  typeof workflowSchema.shape &
  typeof identityPoolSchema.shape &
  typeof localSchema.shape &
  typeof observabilitySchema.shape &
  typeof awsSchema.shape;

/** Variables whose values never appear in an error message. */
const SECRET: ReadonlySet<string> = new Set([SETTING.pageTokenSecret]);

function parse<S extends z.ZodObject>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = source[name];
    const shown = value === undefined || value.trim() === '' ? '' : SECRET.has(name) ? ' (value hidden)' : ` (it is '${value}')`;
    return `${name} ${issue.message}${shown}.`;
  });
  throw new SettingsError(variables, `Invalid setting${lines.length > 1 ? 's' : ''}: ${lines.join(' ')} See README.md, "Configuration".`);
}

/** Computed once, on first use. */
function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

/**
 * The settings in `env`, with `overrides` in place of the environment's values (the local stack sets the
 * table, the issuer and the like this way, and they are checked like any other). Each group is parsed,
 * and fails with a SettingsError naming the variable, the first time it is read.
 *
 * @example
 * const { tableName } = readSettings(process.env).store;
 * readSettings({}, { [SETTING.exportChunkBytes]: '3000' }).api; // SettingsError: the JWT settings are missing
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env, overrides: SettingValues = {}): Settings {
  const source: Record<string, string | undefined> = { ...env, ...overrides };
  const store = once((): StoreSettings => {
    const s = parse(storeSchema, source);
    return {
      region: s[SETTING.region] ?? s[SETTING.defaultRegion] ?? 'us-east-1',
      dynamoEndpoint: s[SETTING.dynamoEndpoint],
      tableName: s[SETTING.tableName],
      auditRetentionDays: s[SETTING.auditRetentionDays],
    };
  });
  const api = once((): ApiSettings => {
    const s = parse(apiSchema, source);
    return {
      jwt: {
        issuer: s[SETTING.jwtIssuer],
        audience: s[SETTING.jwtAudience],
        jwksUrl: s[SETTING.jwksUrl],
        claims: claimMappingFrom(s[SETTING.claimUpn], s[SETTING.claimName]),
        trust: {
          subjectClaim: s[SETTING.subjectClaim],
          authoritativeClaims: s[SETTING.authoritativeClaims],
          accessTokenClaims: s[SETTING.accessTokenClaims],
          personClaims: s[SETTING.personClaims],
          mfaEvidence: mfaEvidenceFrom(s[SETTING.mfaClaims]),
          authTimeClaim: s[SETTING.authTimeClaim],
          setsStintAmr: s[SETTING.issuerIsStackPool] === 'true',
        },
      },
      pageTokenSecret: s[SETTING.pageTokenSecret],
      pageTokenSecretId: s[SETTING.pageTokenSecretId],
      secretsEndpoint: s[SETTING.secretsEndpoint] ?? `http://localhost:${s[SETTING.secretsExtensionPort]}`,
      maxBodyBytes: s[SETTING.maxBodyBytes],
      exportChunkBytes: s[SETTING.exportChunkBytes],
    };
  });
  const notifications = once((): NotificationSettings => {
    const s = parse(notificationSchema, source);
    return {
      portalUrl: s[SETTING.portalUrl].replace(/\/+$/, ''),
      mailFrom: s[SETTING.mailFrom],
      sesEndpoint: s[SETTING.sesEndpoint],
      eventBusName: s[SETTING.eventBus],
    };
  });
  const workflow = once((): WorkflowSettings => ({ lifecycleArn: parse(workflowSchema, source)[SETTING.lifecycleArn] }));
  const identityPool = once((): IdentityPoolSettings => ({ mfaRequired: parse(identityPoolSchema, source)[SETTING.poolMfa] === 'required' }));
  const local = once((): LocalSettings => {
    const s = parse(localSchema, source);
    const httpsPort = s[SETTING.httpsPort];
    return {
      port: s[SETTING.port],
      httpsPort: httpsPort === false ? undefined : httpsPort,
      dynamoPort: s[SETTING.dynamoPort],
      dataDir: s[SETTING.dataDir],
      sesPort: s[SETTING.sesPort],
      sweepSeconds: s[SETTING.sweepSeconds],
    };
  });
  const observability = once((): ObservabilitySettings => {
    const s = parse(observabilitySchema, source);
    return { onLambda: Boolean(s[SETTING.lambdaFunctionName]), serviceName: s[SETTING.serviceName], recordDynamoCalls: s[SETTING.recordDynamoCalls] === '1' };
  });
  const aws = once((): AwsAccessSettings => {
    const s = parse(awsSchema, source);
    const instanceArn = s[SETTING.awsInstanceArn];
    if (instanceArn && !s[SETTING.awsIdentityStoreId]) {
      throw new SettingsError(
        [SETTING.awsIdentityStoreId],
        `Invalid setting: ${SETTING.awsIdentityStoreId} is required with ${SETTING.awsInstanceArn}. See README.md, "Configuration".`,
      );
    }
    return {
      instanceArn,
      identityStoreId: s[SETTING.awsIdentityStoreId],
      region: s[SETTING.awsRegion] ?? store().region,
      endpoint: s[SETTING.awsEndpoint],
      excludedAccounts: s[SETTING.awsExcludedAccounts],
      removeUnmanaged: s[SETTING.awsRemoveUnmanaged] === 'true',
      localPort: s[SETTING.awsPort],
    };
  });
  return {
    get aws() {
      return aws();
    },
    get store() {
      return store();
    },
    get api() {
      return api();
    },
    get notifications() {
      return notifications();
    },
    get workflow() {
      return workflow();
    },
    get identityPool() {
      return identityPool();
    },
    get local() {
      return local();
    },
    get observability() {
      return observability();
    },
  };
}

/**
 * One setting's value checked as the functions will check it, for a value from elsewhere: infra/app.ts
 * checks stage settings this way, so a bad value fails the synth, not the first invocation.
 *
 * @example
 * readSetting(SETTING.exportChunkBytes, '3000'); // 3000
 */
export function readSetting<N extends keyof Shapes>(name: N, value: string | undefined): z.output<Shapes[N]> {
  const schema = SCHEMAS.find((s) => name in s.shape)!;
  return parse(z.object({ [name]: (schema.shape as Record<string, z.ZodType>)[name]! }), { [name]: value })[name] as z.output<Shapes[N]>;
}

/** The API runtime's settings from the environment (shared/runtime.ts). */
export function readConfig(settings: Settings = readSettings()): Config {
  return { ...settings.store, ...settings.api };
}
