/**
 * The one schema of a stage's settings (`stages/<stage>.json`). Settings live in a committed file rather
 * than in `-c` flags so an upgrade cannot forget one: a forgotten `-c jwtIssuer` used to move an OIDC
 * deployment onto a new Cognito pool. Keys keep the names the `-c` flags had (docs/deploy.md §2).
 */
import * as z from 'zod';
import { LOG_RETENTION_DAYS } from '../constructs/stint-logs.ts';

const https = z.url({ protocol: /^https$/, error: 'must be an https URL' });
const email = z.email({ error: 'must be an email address' });
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
// Cognito's rule for prefixes; it also refuses the words aws, amazon and cognito in them.
const cognitoPrefix = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "is the hosted sign-in's domain prefix: lowercase letters, digits and '-'")
  .refine((p) => !/aws|amazon|cognito/.test(p), 'must not contain "aws", "amazon" or "cognito" (Cognito refuses them)');

/** Keys that belong to one identity kind only: naming one with the other kind is a mistake worth stopping. */
export const COGNITO_ONLY = ['cognitoDomain', 'callbackUrls'] as const;
export const OIDC_ONLY = [
  'jwtIssuer',
  'jwtAudience',
  'jwksUrl',
  'upnClaim',
  'nameClaim',
  'subjectClaim',
  'authoritativeClaims',
  'accessTokenClaims',
  'personClaims',
  'mfaClaims',
  'authTimeClaim',
  'portalClientId',
  'portalScope',
] as const;

export const stageSettingsSchema = z
  .strictObject({
    /** Free text for the people who keep the file (JSON has no comments). */
    $comment: z.string().optional(),
    account: accountId,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
    identity: z.enum(['cognito', 'oidc'], { error: 'must be "cognito" (a user pool of the stack\'s own) or "oidc" (your provider)' }),
    cognitoDomain: cognitoPrefix.optional(),
    callbackUrls: z.array(z.url()).optional(),
    jwtIssuer: https.optional(),
    jwtAudience: nonEmpty.optional(),
    jwksUrl: https.optional(),
    upnClaim: nonEmpty.optional(),
    nameClaim: nonEmpty.optional(),
    subjectClaim: nonEmpty.optional(),
    authoritativeClaims: nonEmpty.optional(),
    accessTokenClaims: nonEmpty.optional(),
    personClaims: nonEmpty.optional(),
    mfaClaims: nonEmpty.optional(),
    authTimeClaim: nonEmpty.optional(),
    portalClientId: nonEmpty.optional(),
    portalScope: nonEmpty.optional(),
    firstAdmin: nonEmpty,
    firstAdminName: nonEmpty.optional(),
    mailFrom: email,
    mailDomain: z
      .string()
      .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, 'must be a domain name such as example.com')
      .optional(),
    mailIdentityExists: z.boolean().optional(),
    portalUrl: https.optional(),
    portalDomain: nonEmpty.optional(),
    portalCertificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:us-east-1:/, 'must be an ACM certificate in us-east-1 (CloudFront takes no other region)')
      .optional(),
    apiDomain: nonEmpty.optional(),
    apiCertificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\//, "must be an ACM certificate ARN in the stack's region")
      .optional(),
    disableExecuteApiEndpoint: z.boolean().optional(),
    alarmEmail: email.optional(),
    auditRetentionDays: z.number().int().optional(),
    exportChunkBytes: z.number().int().optional(),
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `must be one of CloudWatch Logs' periods: ${LOG_RETENTION_DAYS.join(', ')}`)
      .optional(),
    permissionsBoundary: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+/, 'must be the ARN of an IAM managed policy')
      .optional(),
    importRetained: z.boolean().optional(),
    awsInstanceArn: z.string().optional(),
    awsIdentityStoreId: z.string().optional(),
    awsRegion: z.string().optional(),
    awsExcludedAccounts: z.array(accountId).optional(),
    awsRemoveUnmanaged: z.boolean().optional(),
  })
  .superRefine((s, ctx) => {
    const misplaced = (keys: readonly string[], kind: string) => {
      for (const key of keys)
        if (s[key as keyof typeof s] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is for "identity": "${kind}" only; remove it` });
    };
    const required = (key: keyof typeof s, why: string) => {
      if (s[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required with "identity": "${s.identity}": ${why}` });
    };
    if (s.identity === 'cognito') {
      misplaced(OIDC_ONLY, 'oidc');
      required('cognitoDomain', 'choose a prefix of your own for the hosted sign-in, unique in the region (https://<prefix>.auth.<region>.amazoncognito.com)');
    } else {
      misplaced(COGNITO_ONLY, 'cognito');
      required('jwtIssuer', 'the "iss" of your provider\'s access tokens, exactly');
      required('jwtAudience', 'the "aud" your tokens carry for this API');
      required('portalClientId', "the portal's client id at your provider (docs/deploy.md §3c); register it before the first deploy");
    }
    if ((s.apiDomain === undefined) !== (s.apiCertificateArn === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['apiDomain'],
        message: 'and "apiCertificateArn" go together: the name and its ACM certificate in the stack\'s region',
      });
    if (s.disableExecuteApiEndpoint && s.apiDomain === undefined)
      ctx.addIssue({ code: 'custom', path: ['disableExecuteApiEndpoint'], message: 'needs "apiDomain": without it the API would have no address' });
    if (s.apiCertificateArn && !s.apiCertificateArn.includes(`:acm:${s.region}:`))
      ctx.addIssue({ code: 'custom', path: ['apiCertificateArn'], message: `must be in the stack's region, ${s.region}` });
    if ((s.portalDomain === undefined) !== (s.portalCertificateArn === undefined))
      ctx.addIssue({ code: 'custom', path: ['portalDomain'], message: 'and "portalCertificateArn" go together: the name and its ACM certificate' });
    const awsKeys = ['awsIdentityStoreId', 'awsRegion', 'awsExcludedAccounts', 'awsRemoveUnmanaged'] as const;
    if (s.awsInstanceArn === undefined) {
      for (const key of awsKeys)
        if (s[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'configures AWS access, which needs "awsInstanceArn" too' });
    } else if (s.awsIdentityStoreId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['awsIdentityStoreId'], message: 'is required with "awsInstanceArn" (aws sso-admin list-instances)' });
    }
  });

export type StageSettings = z.output<typeof stageSettingsSchema>;

/** Every key a stage file may hold. */
export const STAGE_KEYS: readonly string[] = Object.keys(stageSettingsSchema.shape);
