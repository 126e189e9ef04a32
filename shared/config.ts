/**
 * Configuration from the environment, read once and checked at cold start so a missing setting fails
 * the first invocation loudly instead of a later request quietly.
 */
import { claimMappingFrom, type ClaimMapping, type IssuerTrust } from './auth/token-verifier.ts';
import { DEFAULT_TABLE_NAME } from './store/table-schema.ts';

export interface Config {
  tableName: string;
  region: string;
  /** Set only for DynamoDB Local. */
  dynamoEndpoint?: string;
  jwt: { issuer: string; audience: string; jwksUrl: string; claims?: ClaimMapping; trust?: IssuerTrust };
  /** Secret that signs paging tokens so clients cannot forge raw keys. */
  pageTokenSecret: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /**
   * Days audit records are kept (STINT_AUDIT_RETENTION_DAYS). Unset, the default, keeps them forever:
   * nothing in the audit trail expires unless an operator decides it should.
   */
  auditRetentionDays?: number;
  /** Largest audit export chunk, in bytes (STINT_EXPORT_CHUNK_BYTES); the default fits API Gateway's 6 MB. */
  exportChunkBytes?: number;
  /** The outbox's settings (email and events); optional so that older callers need not build them. */
  notifications?: NotificationSettings;
}

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

export const LOCAL_PORTAL_URL = 'http://localhost:3000/portal';
export const DEFAULT_MAIL_FROM = 'pim@contoso.test';

export function readNotificationSettings(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  return {
    portalUrl: (env.STINT_PORTAL_URL || LOCAL_PORTAL_URL).replace(/\/+$/, ''),
    mailFrom: env.STINT_MAIL_FROM || DEFAULT_MAIL_FROM,
    sesEndpoint: env.STINT_SES_ENDPOINT || undefined,
    eventBusName: env.STINT_EVENT_BUS || undefined,
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Missing required setting ${name}. See README.md, "Configuration".`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    tableName: env.STINT_TABLE_NAME || DEFAULT_TABLE_NAME,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    dynamoEndpoint: env.STINT_DYNAMODB_ENDPOINT || undefined,
    jwt: {
      issuer: required(env, 'STINT_JWT_ISSUER'),
      audience: required(env, 'STINT_JWT_AUDIENCE'),
      jwksUrl: required(env, 'STINT_JWKS_URL'),
      claims: claimMappingFrom(env.STINT_CLAIM_UPN, env.STINT_CLAIM_NAME),
      trust: readIssuerTrust(env),
    },
    pageTokenSecret: required(env, 'STINT_PAGE_TOKEN_SECRET'),
    maxBodyBytes: Number(env.STINT_MAX_BODY_BYTES || 64 * 1024),
    auditRetentionDays: readRetentionDays(env.STINT_AUDIT_RETENTION_DAYS),
    notifications: readNotificationSettings(env),
  };
}

/**
 * What the issuer is trusted for (IssuerTrust): STINT_SUBJECT_CLAIM (default sub), STINT_AUTHORITATIVE_CLAIMS
 * and STINT_ACCESS_TOKEN_CLAIMS (comma-separated), STINT_ISSUER_IS_STACK_POOL=true for the stack's own Cognito pool.
 */
export function readIssuerTrust(env: NodeJS.ProcessEnv): IssuerTrust {
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean) ?? [];
  return {
    subjectClaim: env.STINT_SUBJECT_CLAIM?.trim() || 'sub',
    authoritativeClaims: list(env.STINT_AUTHORITATIVE_CLAIMS),
    accessTokenClaims: list(env.STINT_ACCESS_TOKEN_CLAIMS),
    setsStintAmr: env.STINT_ISSUER_IS_STACK_POOL === 'true',
  };
}

/** Shared by every runtime that writes audit records (API, background, outbox). */
export function readRetentionDays(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`STINT_AUDIT_RETENTION_DAYS must be a whole number of days (1 or more), or unset to keep audit records forever; it is '${value}'.`);
  return days;
}
