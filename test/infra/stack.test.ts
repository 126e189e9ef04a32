/**
 * Template assertions on the whole stack, synthesized once (importing aws-cdk-lib alone takes seconds)
 * through the same entry the CDK CLI runs, with cdk.json's context and the real esbuild bundling.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_STAGE, removeStageDirs, synthSettings } from './stage-fixture.ts';
import { FUNCTION_TAG } from '../../infra/constructs/stint-api.ts';
import { TABLE_LOGICAL_ID } from '../../infra/constructs/stint-table.ts';
import { REPO_ROOT } from '../../infra/constructs/stint-function.ts';
import { gatewayRoutes } from '../../shared/http/gateway-routes.ts';
import { LAMBDAS } from '../../shared/http/route.ts';
import { SETTING } from '../../shared/settings.ts';
import { INDEXES, KEY, STREAM_VIEW, TTL_ATTRIBUTE } from '../../shared/store/table-schema.ts';
import { PORTAL_CORS } from '../../infra/constructs/portal-cors.ts';
import { PORTAL_ROUTING_FUNCTION } from '../../infra/constructs/portal-routing.ts';
import { LOCAL_ASL_FILE, LOCAL_LIFECYCLE_FUNCTION_ARN, resolveJoin } from '../../infra/local/generate-asl.ts';

/**
 * The most any function's minified bundle may weigh. The largest (stint-reviews) is about 601 KiB, of which about 200 is
 * the AWS SDK and 95 zod (README, "Performance"); the limit catches the regressions that cost most, such
 * as `import { z } from 'zod'` (every locale, +350 KiB) or the X-Ray SDK (+115 KiB) coming back.
 */
const BUNDLE_LIMIT_KIB = 610;

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] };

const ISSUER = 'https://issuer.test.example/tenant';
const AUDIENCE = 'api://stint-test';

let outdir: string;
let template: Template;
let stack: Stack;
let resources: Record<string, Resource>;

function ofType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

/** Stint's own functions (StintFunction: an index.mjs bundle staged in the assembly), with their bundle's path. */
function bundledFunctions(): [string, Resource, string][] {
  return ofType('AWS::Lambda::Function').flatMap(([id, f]): [string, Resource, string][] => {
    // Staged bundles sit in the cloud assembly as asset.<hash>; the S3 key is <hash>.zip.
    const file = join(outdir, `asset.${String(f.Properties.Code?.S3Key).replace(/\.zip$/, '')}`, 'index.mjs');
    return existsSync(file) ? [[id, f, file]] : [];
  });
}

const distributionId = () => only(ofType('AWS::CloudFront::Distribution'))[0];

/** `{ Ref: X }` → X; `{ Fn::GetAtt: [X, …] }` → X. */
function target(value: any): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

// Synthesis bundles every function with esbuild, one after another: about 40 s on an idle 2-core machine,
// several minutes beside a loaded test run. It is the work this file tests, so it gets the time it takes.
const SYNTH_HANG_LIMIT_MS = 600_000;

beforeAll(() => {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
  outdir = mkdtempSync(join(tmpdir(), 'stint-cdk-'));
  const app = synthSettings(
    {
      ...OIDC_STAGE,
      jwtIssuer: ISSUER,
      jwtAudience: AUDIENCE,
      portalClientId: 'portal-client-test',
      portalScope: 'openid profile offline_access api://stint-test/access',
    },
    { name: 'stint', outdir, bundle: true, context: cdkJson.context },
  );
  stack = app.stack;
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
}, SYNTH_HANG_LIMIT_MS);

afterAll(() => {
  removeStageDirs();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('the table', () => {
  const table = () => only(ofType('AWS::DynamoDB::Table'));

  it('keeps its pinned logical id, so a refactor can never replace it', () => {
    expect(table()[0]).toBe(TABLE_LOGICAL_ID);
  });

  it('survives deletion and bad writes: Retain once created, deletion protection, point-in-time recovery', () => {
    const [, t] = table();
    expect(t.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(t.UpdateReplacePolicy).toBe('Retain');
    expect(t.Properties.DeletionProtectionEnabled).toBe(true);
    expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('is on demand, KMS-encrypted, streams both images and expires items by the schema TTL attribute', () => {
    const { Properties: p } = table()[1];
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    // SSEEnabled without a key id is the AWS managed key (aws/dynamodb), not the default AWS owned one.
    expect(p.SSESpecification).toEqual({ SSEEnabled: true });
    expect(p.StreamSpecification).toEqual({ StreamViewType: STREAM_VIEW });
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it('has the primary key and every index of table-schema.ts, projecting all attributes', () => {
    const { Properties: p } = table()[1];
    expect(p.KeySchema).toEqual([
      { AttributeName: KEY.partition, KeyType: 'HASH' },
      { AttributeName: KEY.sort, KeyType: 'RANGE' },
    ]);
    const byName = new Map<string, any>(p.GlobalSecondaryIndexes.map((g: any) => [g.IndexName, g]));
    expect([...byName.keys()].sort()).toEqual(
      Object.values(INDEXES)
        .map((i) => i.name)
        .sort(),
    );
    for (const index of Object.values(INDEXES)) {
      expect(byName.get(index.name)).toEqual({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partition, KeyType: 'HASH' },
          { AttributeName: index.sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
  });
});

describe('the routes', () => {
  const routes = () => ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
  const byKey = (routeKey: string) => only(routes().filter((r) => r.RouteKey === routeKey));
  const jwtAuthorizerId = () => only(ofType('AWS::ApiGatewayV2::Authorizer'))[0];

  it('are exactly those generated from gatewayRoutes(): nothing hand-written, nothing missing', () => {
    const expected = gatewayRoutes().flatMap((r) => (r.public ? r.routeKeys : [`ANY ${r.prefix}`, `ANY ${r.prefix}/{proxy+}`]));
    expect(
      routes()
        .map((r) => r.RouteKey)
        .sort(),
    ).toEqual(expected.sort());
    // Only health and the API description go without a token; email links land in the portal, a site of its own.
    expect(expected).toEqual(expect.arrayContaining(['GET /health', 'GET /openapi.json']));
    expect(expected.filter((k) => k.includes('/portal'))).toEqual([]);
  });

  it('check a JWT on every protected prefix and everything under it, with the configured issuer and audience', () => {
    const authorizer = only(ofType('AWS::ApiGatewayV2::Authorizer'))[1].Properties;
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.JwtConfiguration).toEqual({ Issuer: ISSUER, Audience: [AUDIENCE] });
    for (const route of gatewayRoutes().filter((r) => !r.public)) {
      for (const key of [`ANY ${route.prefix}`, `ANY ${route.prefix}/{proxy+}`]) {
        expect(byKey(key), key).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: jwtAuthorizerId() } });
      }
    }
  });

  it('leave only the public routes open, as exact GETs', () => {
    const open = routes().filter((r) => r.AuthorizationType !== 'JWT');
    const publicKeys = gatewayRoutes()
      .filter((r) => r.public)
      .flatMap((r) => r.routeKeys);
    expect(publicKeys.every((k) => k.startsWith('GET /') && !k.includes('{proxy+}'))).toBe(true);
    expect(open.map((r) => r.RouteKey).sort()).toEqual(publicKeys.sort());
    for (const route of open) {
      expect(route.AuthorizationType).toBe('NONE');
      expect(route.AuthorizerId).toBeUndefined();
    }
  });

  it('send each prefix to the Lambda that gatewayRoutes() names', () => {
    const lambdaOfIntegration = (integrationId: string): string | undefined => {
      const functionId = target(resources[integrationId]?.Properties.IntegrationUri);
      const tags: { Key: string; Value: string }[] = resources[functionId ?? '']?.Properties.Tags ?? [];
      return tags.find((t) => t.Key === FUNCTION_TAG)?.Value;
    };
    for (const route of gatewayRoutes()) {
      for (const key of route.routeKeys) {
        const [prefix, ref] = byKey(key).Target['Fn::Join'][1];
        expect(prefix).toBe('integrations/');
        expect(resources[target(ref) ?? '']?.Properties.PayloadFormatVersion).toBe('2.0');
        expect(lambdaOfIntegration(target(ref) ?? ''), key).toBe(route.lambda);
      }
    }
  });

  it("allow CORS for exactly the portal's origin, set after both exist (the API's own properties would make a cycle)", () => {
    const [apiId, api] = only(ofType('AWS::ApiGatewayV2::Api'));
    expect(api.Properties.ProtocolType).toBe('HTTP');
    expect(api.Properties.CorsConfiguration).toBeUndefined();
    const [, cors] = only(ofType('Custom::StintPortalCors'));
    const update = JSON.parse(resolveJoin(cors.Properties.Create, (ref) => (target(ref) === distributionId() ? 'd111.cloudfront.net' : `<${target(ref)}>`)));
    expect(update).toMatchObject({ service: 'ApiGatewayV2', action: 'UpdateApi' });
    expect(update.parameters).toEqual({ ApiId: `<${apiId}>`, CorsConfiguration: { AllowOrigins: ['https://d111.cloudfront.net'], ...PORTAL_CORS } });
    // The step-up challenge must be readable by the page.
    expect(PORTAL_CORS.ExposeHeaders).toContain('www-authenticate');
  });
});

describe('the API Lambdas', () => {
  const functions = () => ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Tags?.some((t: any) => t.Key === FUNCTION_TAG));

  it('are one per entry of LAMBDAS', () => {
    const names = functions().map(([, f]) => f.Properties.Tags.find((t: any) => t.Key === FUNCTION_TAG)?.Value);
    expect(names.sort()).toEqual([...LAMBDAS].sort());
  });

  it('run Node 24 on arm64 with active tracing and the house memory and timeout', () => {
    for (const [id, { Properties: p }] of functions()) {
      expect(p, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        Timeout: 10,
        Handler: 'index.handler',
      });
    }
  });

  it('get the settings that shared/settings.ts requires, the secret only as a deploy-time reference', () => {
    const secretId = only(ofType('AWS::SecretsManager::Secret'))[0];
    for (const [id, { Properties: p }] of functions()) {
      const env = p.Environment.Variables;
      // The public meta routes read nothing: that Lambda is not even told the table.
      const isMeta = p.Tags.find((t: any) => t.Key === FUNCTION_TAG)?.Value === 'meta';
      expect(env.STINT_TABLE_NAME, id).toEqual(isMeta ? undefined : { Ref: TABLE_LOGICAL_ID });
      expect(env, id).toMatchObject({
        STINT_JWT_ISSUER: ISSUER,
        STINT_JWT_AUDIENCE: AUDIENCE,
      });
      // Unset: found through the issuer's discovery document at run time.
      expect(env.STINT_JWKS_URL, id).toBeUndefined();
      // Parsing a source map at every cold start cost more than the stack traces it gave.
      expect(env.NODE_OPTIONS, id).toBeUndefined();
      // Lambda sets AWS_REGION itself and refuses it as a variable.
      expect(env.AWS_REGION).toBeUndefined();
      // The paging key's secret by ARN, read at run time; never its value (docs/security.md).
      expect(env.STINT_PAGE_TOKEN_SECRET, id).toBeUndefined();
      expect(env.STINT_PAGE_TOKEN_SECRET_ID, id).toEqual(isMeta ? undefined : { Ref: secretId });
    }
  });

  it('are told only variables that shared/settings.ts reads (SETTING), besides the Node and Powertools ones', () => {
    const known = new Set<string>([...Object.values(SETTING), 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_LOG_LEVEL']);
    // The Parameters and Secrets extension's own settings (CDK sets them with the layer).
    const extension = (name: string) =>
      name.startsWith('PARAMETERS_SECRETS_EXTENSION_') || name.startsWith('SECRETS_MANAGER_') || name.startsWith('SSM_PARAMETER_STORE_');
    // Every StintFunction (API, stream, workflow, jobs, trigger) has a service name; CDK's own helpers do not.
    const stint = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(stint.length).toBeGreaterThan(LAMBDAS.length);
    for (const [id, { Properties: p }] of stint)
      for (const name of Object.keys(p.Environment.Variables).filter((n) => !extension(n))) expect(known, `${id}: ${name}`).toContain(name);
  });

  it('are bundled as ESM with a require shim and no source map', () => {
    for (const [id, f] of functions()) {
      // Staged bundles sit in the cloud assembly as asset.<hash>; the S3 key is <hash>.zip.
      const assetDir = join(outdir, `asset.${String(f.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      expect(readdirSync(assetDir), id).toEqual(['index.mjs']);
      expect(readFileSync(join(assetDir, 'index.mjs'), 'utf8').slice(0, 200)).toContain('createRequire');
    }
  });

  it(`every Lambda's bundle stays under ${BUNDLE_LIMIT_KIB} KiB`, () => {
    const bundled = bundledFunctions();
    expect(bundled.length).toBeGreaterThan(functions().length);
    for (const [id, f, file] of bundled) {
      expect(statSync(file).size / 1024, `${id} (${f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME})`).toBeLessThan(BUNDLE_LIMIT_KIB);
    }
  });

  it('log to a log group of their own that has a retention', () => {
    const logGroups = new Map(ofType('AWS::Logs::LogGroup'));
    const used = functions().map(([, f]) => target(f.Properties.LoggingConfig?.LogGroup) ?? '');
    expect(new Set(used).size).toBe(functions().length);
    for (const id of used) expect(logGroups.get(id)?.Properties.RetentionInDays, id).toBeGreaterThan(0);
  });
});

describe('permissions', () => {
  const statements = (): any[] => {
    const inline = [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')].flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const ofRoles = ofType('AWS::IAM::Role').flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
    return [...inline, ...ofRoles];
  };
  const actions = (statement: any): string[] => [statement.Action ?? []].flat();

  it('never grant every action, of all services or of DynamoDB', () => {
    const all = statements().flatMap(actions);
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain('*');
    expect(all).not.toContain('dynamodb:*');
    expect(all.filter((a) => a.endsWith(':*'))).toEqual([]);
  });

  it('scope DynamoDB access to the table and its indexes', () => {
    // ListStreams has no resource-level permission (IAM takes only "*"); CDK merges it into the stream
    // consumers' "*" statement with X-Ray's, and it is the only DynamoDB action there.
    const listStreams = statements().filter((s) => s.Resource === '*' && actions(s).includes('dynamodb:ListStreams'));
    expect(listStreams).toHaveLength(2);
    for (const s of listStreams) expect(actions(s).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:ListStreams']);
    const dynamo = statements().filter((s) => !listStreams.includes(s) && actions(s).some((a) => a.startsWith('dynamodb:')));
    // Each API Lambda but the public meta one, the four background Lambdas, the access review, alerts and weekly digest jobs, the first-administrator resource, and each stream consumer's stream reads.
    expect(dynamo.length).toBe(LAMBDAS.length - 1 + 4 + 3 + 1 + 2);
    for (const s of dynamo) {
      for (const resource of [s.Resource].flat()) expect(JSON.stringify(resource)).toContain(`"${TABLE_LOGICAL_ID}"`);
    }
  });
});

describe('the public Lambda', () => {
  it('has no DynamoDB permission at all: health, the API description and the email-link pages read nothing', () => {
    const meta = ofType('AWS::Lambda::Function').find(([, f]) => f.Properties.Tags?.some((t: any) => t.Key === FUNCTION_TAG && t.Value === 'meta'))!;
    const roleId = target(meta[1].Properties.Role)!;
    const policies = ofType('AWS::IAM::Policy').filter(([, p]) => (p.Properties.Roles ?? []).some((r: any) => target(r) === roleId));
    const granted = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement).flatMap((s: any) => [s.Action].flat());
    expect(granted.filter((a: string) => a.startsWith('dynamodb:'))).toEqual([]);
  });
});

describe('the stage', () => {
  const stage = () => only(ofType('AWS::ApiGatewayV2::Stage'))[1].Properties;

  it('is the auto-deployed $default stage with throttling', () => {
    expect(stage()).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(stage().DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage().DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
  });

  it('writes JSON access logs with the request id, caller ip, route, status and latency to a retained log group', () => {
    const { DestinationArn, Format } = stage().AccessLogSettings;
    expect(resources[target(DestinationArn) ?? '']?.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(JSON.parse(Format)).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
  });

  it('leaves no log group without a retention', () => {
    for (const [id, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
  });
});

describe('the portal', () => {
  const distribution = () => only(ofType('AWS::CloudFront::Distribution'))[1].Properties.DistributionConfig;
  const portalUrl = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/portal']] });

  it('is a private, encrypted bucket that refuses plain HTTP', () => {
    const [bucketId, bucket] = only(ofType('AWS::S3::Bucket'));
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    const policy = only(ofType('AWS::S3::BucketPolicy').filter(([, p]) => target(p.Properties.Bucket) === bucketId))[1].Properties.PolicyDocument;
    expect(policy.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
    // Read by CloudFront only, and only this distribution.
    const reads = policy.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(JSON.stringify(reads[0].Condition)).toContain(distributionId());
  });

  it('is read through origin access control (not an origin access identity), over HTTPS only', () => {
    const [oacId, oac] = only(ofType('AWS::CloudFront::OriginAccessControl'));
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
    ofType('AWS::CloudFront::CloudFrontOriginAccessIdentity').forEach(([id]) => expect.fail(`an OAI: ${id}`));
    const [origin] = distribution().Origins;
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    for (const behavior of [distribution().DefaultCacheBehavior, ...distribution().CacheBehaviors])
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it("sends web/security-headers.ts's headers: script only from itself, no framing, HSTS, nosniff, no referrer", () => {
    const [policyId, policy] = only(ofType('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = resolveJoin(headers.ContentSecurityPolicy.ContentSecurityPolicy, (ref) => `<${target(ref)}>`);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // The page talks to the API and the issuer, nothing else.
    expect(csp).toMatch(new RegExp(`connect-src 'self' <${only(ofType('AWS::ApiGatewayV2::Api'))[0]}> ${ISSUER.replace('/tenant', '')};`));
    expect(headers).toMatchObject({
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
    });
    for (const behavior of [distribution().DefaultCacheBehavior, ...distribution().CacheBehaviors])
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('routes page URLs to the app with the CloudFront Function, and caches only the hashed assets', () => {
    const [functionId, fn] = only(ofType('AWS::CloudFront::Function'));
    expect(fn.Properties.FunctionCode).toBe(PORTAL_ROUTING_FUNCTION);
    const { DefaultCacheBehavior: pages, CacheBehaviors: others } = distribution();
    expect(pages.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }]);
    // CachingDisabled for index.html and config.json, CachingOptimized for /portal/assets/*.
    expect(pages.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(only(others)).toMatchObject({ PathPattern: '/portal/assets/*', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' });
  });

  it("deploys the build under portal/, then index.html with a config.json of this stack's API and issuer", () => {
    const deployments = ofType('Custom::CDKBucketDeployment').map(([id, d]) => [id, d.Properties] as const);
    expect(deployments).toHaveLength(2);
    for (const [, d] of deployments) expect(d).toMatchObject({ DestinationBucketKeyPrefix: 'portal/', Prune: false });
    const [assets, entry] = [
      deployments.find(([, d]) => d.SystemMetadata['cache-control'].includes('immutable'))!,
      deployments.find(([, d]) => d.SystemMetadata['cache-control'] === 'no-cache')!,
    ];
    expect(resources[entry[0]]?.DependsOn).toEqual(expect.arrayContaining([assets[0]]));
    // Source.jsonData: the file's tokens are markers, filled in at deploy time.
    const configAsset = readdirSync(outdir)
      .map((dir) => join(outdir, dir, 'config.json'))
      .find((file) => existsSync(file))!;
    const config = JSON.parse(readFileSync(configAsset, 'utf8'));
    expect(config).toMatchObject({
      authority: ISSUER,
      clientId: 'portal-client-test',
      scope: 'openid profile offline_access api://stint-test/access',
      environmentName: 'stint',
    });
    expect(config.apiBaseUrl).toMatch(/^https:\/\/<<marker:0xbaba:\d>>\.execute-api\./);
    expect(entry[1].SourceMarkers.flatMap((m: Record<string, unknown>) => Object.values(m))).toEqual(
      expect.arrayContaining([{ Ref: only(ofType('AWS::ApiGatewayV2::Api'))[0] }]),
    );
  });

  it('is where emails link to, and an output', () => {
    template.hasOutput('PortalUrl', { Value: portalUrl() });
    const outbox = ofType('AWS::Lambda::Function').find(([, f]) => String(f.Properties.Description).includes('notification emails'))!;
    expect(outbox[1].Properties.Environment.Variables.STINT_PORTAL_URL).toEqual(portalUrl());
  });
});

describe('outputs', () => {
  it('publish the API URL and the table name', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('TableName', { Value: { Ref: TABLE_LOGICAL_ID } });
  });
});

describe('the background (lifecycle, stream consumers, sweeper)', () => {
  const byEntry = (description: string) => only(ofType('AWS::Lambda::Function').filter(([, f]) => String(f.Properties.Description).includes(description)));
  const lifecycleFn = () => byEntry('request-lifecycle steps');
  const machine = () => only(ofType('AWS::StepFunctions::StateMachine'));

  it('is one Standard state machine, named for the stack, traced and logged', () => {
    const [, m] = machine();
    expect(m.Properties).toMatchObject({ StateMachineName: 'stint-request-lifecycle', StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true } });
    expect(m.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('deploys the very definition the local engine runs (infra/local/request-lifecycle.asl.json; `npm run asl` regenerates it)', () => {
    const [, m] = machine();
    const [fnId] = lifecycleFn();
    const definition = resolveJoin(m.Properties.DefinitionString, (ref) => {
      if (ref.Ref === 'AWS::Partition') return 'aws';
      if (target(ref) === fnId) return LOCAL_LIFECYCLE_FUNCTION_ARN;
      throw new Error(`unexpected reference in the definition: ${JSON.stringify(ref)}`);
    });
    expect(JSON.parse(definition)).toEqual(JSON.parse(readFileSync(LOCAL_ASL_FILE, 'utf8')));
  });

  it('publishes the definition as a retained version, and starts runs on the live alias that points at it', () => {
    const [versionId, version] = only(ofType('AWS::StepFunctions::StateMachineVersion'));
    expect(version.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(versionId).toMatch(/Version[0-9a-f]{10}/);
    const [, alias] = only(ofType('AWS::StepFunctions::StateMachineAlias'));
    expect(alias.Properties).toMatchObject({
      Name: 'live',
      RoutingConfiguration: [{ StateMachineVersionArn: { 'Fn::GetAtt': [versionId, 'Arn'] }, Weight: 100 }],
    });
    const [, signals] = byEntry('lifecycle runs');
    expect(JSON.stringify(signals.Properties.Environment.Variables.STINT_LIFECYCLE_ARN)).toMatch(/stint-request-lifecycle:live/);
  });

  it('feeds both stream consumers from the table stream, with partial-batch retries and a failure queue', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
    expect(mappings).toHaveLength(2);
    const consumers = mappings.map((m) => String(resources[target(m.FunctionName) ?? '']?.Properties.Description));
    expect(consumers.sort()).toEqual([expect.stringContaining('notification emails'), expect.stringContaining('lifecycle runs')].sort());
    for (const m of mappings) {
      expect(m.EventSourceArn).toEqual({ 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'StreamArn'] });
      expect(m).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 10,
      });
      expect(m.DestinationConfig.OnFailure.Destination).toBeDefined();
    }
  });

  it('runs the sweeper every minute, the access review job every five, the alerts scan and the weekly digest hourly on EventBridge Scheduler, each with a failure queue', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    expect(schedules).toHaveLength(4);
    const [sweeperId] = byEntry('expires what a lost run missed');
    const [reviewsId, reviews] = byEntry('starts, reminds and ends access reviews');
    const [alertsId, alerts] = byEntry('scans for PIM security alerts');
    const [digestId, digest] = byEntry('weekly PIM digest');
    const scheduleOf = (id: string) => only(schedules.filter((s) => target(s.Target.Arn) === id).map((s, i) => [String(i), s] as const))[1];
    expect(scheduleOf(sweeperId).ScheduleExpression).toBe('rate(1 minute)');
    expect(scheduleOf(reviewsId).ScheduleExpression).toBe('rate(5 minutes)');
    expect(scheduleOf(alertsId).ScheduleExpression).toBe('rate(1 hour)');
    expect(alerts.Properties.Timeout).toBe(900);
    expect(scheduleOf(digestId).ScheduleExpression).toBe('rate(1 hour)');
    expect(digest.Properties.Environment.Variables).toMatchObject({ STINT_MAIL_FROM: expect.any(String), STINT_PORTAL_URL: expect.anything() });
    for (const s of schedules) expect(s.Target.DeadLetterConfig.Arn).toBeDefined();
    expect(reviews.Properties.Environment.Variables).toMatchObject({ STINT_TABLE_NAME: { Ref: TABLE_LOGICAL_ID } });
    expect(reviews.Properties.Timeout).toBe(300);
  });

  it('gives every background Lambda the table and the state machine, and the outbox its bus, sender and portal', () => {
    for (const description of ['request-lifecycle steps', 'lifecycle runs', 'expires what a lost run missed']) {
      const [id, f] = byEntry(description);
      expect(f.Properties, id).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(f.Properties.Environment.Variables, id).toMatchObject({ STINT_TABLE_NAME: { Ref: TABLE_LOGICAL_ID }, STINT_LIFECYCLE_ARN: expect.anything() });
    }
    const [, outbox] = byEntry('notification emails');
    const [busId] = only(ofType('AWS::Events::EventBus'));
    expect(outbox.Properties.Environment.Variables).toMatchObject({
      STINT_EVENT_BUS: { Ref: busId },
      STINT_MAIL_FROM: expect.any(String),
      STINT_PORTAL_URL: expect.anything(),
    });
  });

  it('lets only the lifecycle Lambda and the signals consumer answer task tokens, and only the consumer stop runs', () => {
    const statements = ofType('AWS::IAM::Policy').flatMap(([id, p]) => p.Properties.PolicyDocument.Statement.map((st: any) => ({ id, st })));
    const withAction = (action: string) => statements.filter(({ st }) => [st.Action].flat().includes(action));
    expect(withAction('states:SendTaskSuccess')).toHaveLength(2);
    expect(withAction('states:StopExecution')).toHaveLength(1);
    expect(JSON.stringify(withAction('states:StopExecution')[0]!.st.Resource)).toContain(':execution:stint-request-lifecycle:*');
    // The outbox and the weekly digest, each from the one verified sender.
    expect(withAction('ses:SendEmail')).toHaveLength(2);
  });
});

describe('observability', () => {
  it('gives every function its own Powertools service name, the metrics namespace the alarms watch, and a log level', () => {
    const functions = bundledFunctions().map(([id, f]) => [id, f] as const);
    expect(functions.length).toBeGreaterThan(LAMBDAS.length);
    const names = functions.map(([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['stint-lifecycle', 'stint-notifications', 'stint-sweeper', ...LAMBDAS.map((l) => `stint-${l}`)]));
    for (const [id, f] of functions) {
      expect(f.Properties.Environment.Variables, id).toMatchObject({ POWERTOOLS_METRICS_NAMESPACE: 'Stint', POWERTOOLS_LOG_LEVEL: 'INFO' });
      expect(f.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no finding that is not acknowledged, with a reason, where it arises', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? [])).toEqual([]);
  });

  it('is registered on the app, and every acknowledgement says why', () => {
    const acknowledged = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.entries(m.data as Record<string, string>)));
    expect(acknowledged.length).toBeGreaterThan(10);
    for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(40);
    expect(acknowledged.some(([id]) => id.endsWith('AwsSolutions-APIG4'))).toBe(true);
  });
});

describe('alarms and the dashboard', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([id, a]): Record<string, any> => ({ id, ...a.Properties }));

  it('watch runs, stream consumers, failure queues, the sweeper, notifications, API 5xx and throttles', () => {
    const ids = alarms()
      .map((a) => a.id)
      .join(' ');
    for (const part of [
      'LifecycleRunsFailed',
      'WorkflowSignalsFunctionErrors',
      'WorkflowSignalsFunctionBehind',
      'NotificationsFunctionErrors',
      'NotificationsFunctionBehind',
      'StreamFailuresNotEmpty',
      'SweeperFailuresNotEmpty',
      'SweeperErrors',
      'AccessReviewJobErrors',
      'AccessReviewsFailuresNotEmpty',
      'AlertsJobFailuresNotEmpty',
      'WeeklyDigestJobFailuresNotEmpty',
      'NotificationFailures',
      'Api5xx',
      'ApiThrottles',
    ]) {
      expect(ids).toContain(part);
    }
  });

  it('each notify the encrypted alarm topic and point to the README', () => {
    const [topicId, topic] = only(ofType('AWS::SNS::Topic'));
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const a of alarms()) {
      expect(a.AlarmActions, a.id).toEqual([{ Ref: topicId }]);
      expect(a.AlarmDescription, a.id).toContain('Operations');
    }
  });

  it('watch the notification failures the outbox emits (namespace, metric, no dimension: the total)', () => {
    const failures = alarms().find((a) => a.id.includes('NotificationFailures'))!;
    expect(failures).toMatchObject({ Namespace: 'Stint', MetricName: 'NotificationFailures', Statistic: 'Sum' });
    expect(failures.Dimensions).toBeUndefined();
  });

  it('come with one dashboard', () => {
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});

describe('the first Global Administrator', () => {
  it('is made by a custom resource from the firstAdmin context, by a Lambda that may use the table', () => {
    const [, resource] = only(ofType('Custom::StintFirstAdministrator'));
    expect(resource.Properties).toMatchObject({ UserPrincipalName: 'ada@example.com' });
    const functionId = target(resource.Properties.ServiceToken);
    expect(resources[functionId!]?.Properties.Environment.Variables.STINT_TABLE_NAME).toEqual({ Ref: TABLE_LOGICAL_ID });
  });
});
