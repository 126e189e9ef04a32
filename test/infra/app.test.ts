/**
 * The CDK entry point's settings: a stage file checked whole by one schema, `-c` limited to `stage` and
 * `accept`, and the example stage for a synth with no stage. Asset bundling is skipped
 * (`aws:cdk:bundling-stacks: []`, CDK's own switch): these tests read settings, and stack.test.ts bundles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGES_DIR } from '../../infra/app.ts';
import { FUNCTION_TAG } from '../../infra/constructs/stint-api.ts';
import { COGNITO_STAGE, OIDC_STAGE, removeStageDirs, stagesDir, synthSettings, synthStage, writeStage } from './stage-fixture.ts';

afterAll(removeStageDirs);

function synth(settings: object, context?: Record<string, unknown>) {
  const { stack, dir } = synthSettings(settings, { context });
  return { stack, dir, template: Template.fromStack(stack) };
}

function functionEnv(template: Template): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(functions.length).toBeGreaterThan(0);
  return functions[0]?.Properties.Environment.Variables;
}

describe('a synth with no stage', () => {
  it('uses the committed example stage: offline, a Cognito pool, an account that can never deploy, and its record unchanged', () => {
    // Prepare
    const record = readFileSync(join(STAGES_DIR, 'example.lock.json'), 'utf8');

    // Act
    const { stack } = synthStage(STAGES_DIR, undefined);

    // Assess
    expect([stack.stackName, stack.account]).toEqual(['example', '000000000000']);
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPool', 1);
    expect(readFileSync(join(STAGES_DIR, 'example.lock.json'), 'utf8')).toBe(record);
  });
});

describe('the stage file', () => {
  it('names what is missing, each with what to do', () => {
    const dir = stagesDir({ bare: { account: '123456789012', region: 'eu-west-1' } });
    expect(() => synthStage(dir, 'bare')).toThrow(/"identity" is required: add it[\s\S]*"firstAdmin" is required[\s\S]*"mailFrom" is required/);
    expect(() => synthStage(dir, 'nowhere')).toThrow(/No settings for stage "nowhere": create .*nowhere\.json \(copy .*example\.json/);
    expect(() => synth({ ...COGNITO_STAGE, cognitoDomain: undefined })).toThrow(
      /"cognitoDomain" is required with "identity": "cognito": choose a prefix of your own/,
    );
    const { portalClientId: _omitted, ...noClient } = OIDC_STAGE;
    expect(() => synth(noClient)).toThrow(/"portalClientId" is required with "identity": "oidc"/);
  });

  it('refuses unknown keys, keys of the other identity kind, and values AWS would refuse', () => {
    expect(() => synth({ ...OIDC_STAGE, issuer: 'https://login.example.com' })).toThrow(/"issuer" is not a setting \(misspelt\?\)/);
    expect(() => synth({ ...COGNITO_STAGE, jwtIssuer: 'https://login.example.com' })).toThrow(/"jwtIssuer" is for "identity": "oidc" only/);
    expect(() => synth({ ...OIDC_STAGE, cognitoDomain: 'x' })).toThrow(/"cognitoDomain" is for "identity": "cognito" only/);
    expect(() => synth({ ...COGNITO_STAGE, cognitoDomain: 'my-cognito-login' })).toThrow(/cognitoDomain.*"aws", "amazon" or "cognito"/);
    expect(() => synth({ ...COGNITO_STAGE, identity: 'saml' })).toThrow(/"identity" must be "cognito"/);
    expect(() => synth({ ...OIDC_STAGE, jwtIssuer: 'http://login.example.com' })).toThrow(/"jwtIssuer" must be an https URL/);
    expect(() => synth({ ...COGNITO_STAGE, account: '12345' })).toThrow(/"account" must be a 12-digit/);
    expect(() => synth({ ...COGNITO_STAGE, logRetentionDays: 42 })).toThrow(/"logRetentionDays" must be one of/);
    expect(() => synth({ ...COGNITO_STAGE, portalDomain: 'pim.example.com' })).toThrow(/"portalDomain" and "portalCertificateArn" go together/);
  });

  it('refuses every -c key but stage and accept, saying where a setting goes', () => {
    expect(() => synth(COGNITO_STAGE, { issuer: 'https://login.example.com' })).toThrow(
      /"-c issuer" is not a Stint setting\. The only -c keys are stage=<name> and accept/,
    );
    expect(() => synth(COGNITO_STAGE, { mailFrom: 'x@example.com' })).toThrow(/"-c mailFrom" is a setting: put "mailFrom" in stages\/test\.json instead/);
    const dir = stagesDir();
    expect(() => synthStage(dir, 'Stint_Dev')).toThrow(/Context "stage" names the stage/);
  });
});

describe('identity', () => {
  it('with Cognito, makes the stack its own issuer on the chosen domain prefix', () => {
    const { template } = synth(COGNITO_STAGE);
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'stint-test-signin' });
  });

  it('with oidc, takes issuer, audience, stack name, account and region from the stage, and leaves the keys to discovery; no user pool', () => {
    const { stack, template } = synth(OIDC_STAGE);
    expect([stack.stackName, stack.account, stack.region]).toEqual(['test', '123456789012', 'eu-west-1']);
    expect(functionEnv(template)).toMatchObject({
      STINT_JWT_ISSUER: 'https://login.example.com/tenant/',
      STINT_JWT_AUDIENCE: 'api://stint',
    });
    // No JWKS address: the functions read jwks_uri from the issuer's discovery document, as API Gateway does.
    expect(functionEnv(template).STINT_JWKS_URL).toBeUndefined();
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  it('passes a claim mapping to the API functions when the issuer names people in other claims', () => {
    const { template } = synth({ ...OIDC_STAGE, upnClaim: 'employee_upn,email', nameClaim: 'display_name' });
    expect(functionEnv(template)).toMatchObject({ STINT_CLAIM_UPN: 'employee_upn,email', STINT_CLAIM_NAME: 'display_name' });
  });

  it("tells the API what the issuer is trusted for: Entra ID's defaults, any other provider's, and what the stage says", () => {
    const entra = functionEnv(synth({ ...OIDC_STAGE, jwtIssuer: 'https://login.microsoftonline.com/tenant-1/v2.0' }).template);
    expect(entra).toMatchObject({
      STINT_SUBJECT_CLAIM: 'oid',
      STINT_AUTHORITATIVE_CLAIMS: 'upn,preferred_username',
      STINT_ACCESS_TOKEN_CLAIMS: 'scp,roles',
      // Entra's app-only tokens carry no scp: without it a token is a service principal's.
      STINT_PERSON_CLAIMS: 'scp',
    });
    const other = functionEnv(synth({ ...OIDC_STAGE, jwtIssuer: 'https://acme.okta.com/oauth2/default' }).template);
    expect(other).toMatchObject({ STINT_SUBJECT_CLAIM: 'sub', STINT_AUTHORITATIVE_CLAIMS: 'upn' });
    expect(other.STINT_ACCESS_TOKEN_CLAIMS).toBeUndefined();
    expect(other.STINT_PERSON_CLAIMS).toBeUndefined();
    expect(other.STINT_MFA_CLAIMS).toBeUndefined();
    const chosen = functionEnv(
      synth({
        ...OIDC_STAGE,
        jwtIssuer: 'https://acme.okta.com/oauth2/default',
        subjectClaim: 'uid',
        authoritativeClaims: 'none',
        jwksUrl: 'https://acme.okta.com/oauth2/default/v1/keys',
      }).template,
    );
    expect(chosen.STINT_SUBJECT_CLAIM).toBe('uid');
    expect(chosen.STINT_AUTHORITATIVE_CLAIMS).toBeUndefined();
    expect(chosen.STINT_JWKS_URL).toBe('https://acme.okta.com/oauth2/default/v1/keys');
  });
});

describe('the MFA evidence, person claims and sign-in time claim', () => {
  it('are passed on, refused malformed at synth, and refused with Cognito', () => {
    const env = functionEnv(
      synth({
        ...OIDC_STAGE,
        jwtIssuer: 'https://login.microsoftonline.com/tenant-1/v2.0',
        mfaClaims: 'acrs=c1',
        personClaims: 'scp,wids',
        authTimeClaim: 'https://stint.example.com/auth_time',
      }).template,
    );
    expect(env).toMatchObject({ STINT_MFA_CLAIMS: 'acrs=c1', STINT_PERSON_CLAIMS: 'scp,wids', STINT_AUTH_TIME_CLAIM: 'https://stint.example.com/auth_time' });
    expect(() => synth({ ...OIDC_STAGE, mfaClaims: 'mfa' })).toThrow(/STINT_MFA_CLAIMS must be claim=value/);
    expect(() => synth({ ...COGNITO_STAGE, mfaClaims: 'amr=mfa' })).toThrow(/"mfaClaims" is for "identity": "oidc" only/);
  });
});

describe('the record of identity and mail', () => {
  it('is written by the first synth of a stage, and then refuses a change of identity kind, issuer, domain prefix or mail identity', () => {
    // Prepare: the first synth records the stage.
    const { dir } = synth(COGNITO_STAGE);
    const record = JSON.parse(readFileSync(join(dir, 'test.lock.json'), 'utf8'));
    expect(record).toMatchObject({ identity: { kind: 'cognito', cognitoDomain: 'stint-test-signin' }, mail: { identity: 'pim@example.com' } });

    // Act, Assess: each change names the old value, the new one, what would break, and what to do.
    const change = (settings: object) => () => synthStage(writeAgain(dir, settings), 'test');
    expect(change(OIDC_STAGE)).toThrow(
      /deployed with identity "cognito" with the domain prefix "stint-test-signin"; \S*test\.json now says identity "oidc".*refuse every token from the stack's user pool.*-c accept=identity/s,
    );
    expect(change({ ...COGNITO_STAGE, cognitoDomain: 'stint-test-login' })).toThrow(/hosted sign-in moves from "stint-test-signin"/);
    expect(change({ ...COGNITO_STAGE, mailFrom: 'pim@mail.example.com' })).toThrow(/sends mail as the SES identity "pim@example.com".*-c accept=mail/s);
  });

  it('takes a change acknowledged once with -c accept, rewrites the record, and refuses an accept with nothing to accept', () => {
    // Prepare
    const { dir } = synth(OIDC_STAGE);
    writeAgain(dir, { ...OIDC_STAGE, jwtIssuer: 'https://login.example.com/other/' });
    expect(() => synthStage(dir, 'test')).toThrow(
      /every token from https:\/\/login\.example\.com\/tenant\/ is refused|refuse every token from https:\/\/login\.example\.com\/tenant\//,
    );

    // Act
    synthStage(dir, 'test', { context: { accept: 'identity' } });

    // Assess
    expect(JSON.parse(readFileSync(join(dir, 'test.lock.json'), 'utf8')).identity).toEqual({ kind: 'oidc', issuer: 'https://login.example.com/other/' });
    expect(() => synthStage(dir, 'test', { context: { accept: 'identity' } })).toThrow(/did not change, so there is nothing to accept; remove it/);
    expect(() => synthStage(dir, 'test', { context: { accept: 'everything' } })).toThrow(/-c accept takes identity and\/or mail/);
  });

  it('is not written by a synth that fails', () => {
    const dir = stagesDir({ test: { ...COGNITO_STAGE, firstAdmin: '' } });
    expect(() => synthStage(dir, 'test')).toThrow(/firstAdmin/);
    expect(existsSync(join(dir, 'test.lock.json'))).toBe(false);
  });
});

describe('other settings', () => {
  it('passes the audit retention to every function, keeps audit records forever without it, and refuses a bad value', () => {
    for (const f of Object.values(synth(COGNITO_STAGE).template.findResources('AWS::Lambda::Function')))
      expect(f.Properties.Environment?.Variables?.STINT_AUDIT_RETENTION_DAYS).toBeUndefined();
    const expiring = Object.values(synth({ ...COGNITO_STAGE, auditRetentionDays: 2555 }).template.findResources('AWS::Lambda::Function'));
    const stint = expiring.filter((f) => f.Properties.Environment?.Variables?.STINT_TABLE_NAME);
    expect(stint.length).toBeGreaterThan(10);
    for (const f of stint) expect(f.Properties.Environment.Variables.STINT_AUDIT_RETENTION_DAYS).toBe('2555');
    expect(() => synth({ ...COGNITO_STAGE, auditRetentionDays: 0 })).toThrow(/whole number of days/);
  });

  it('passes the export chunk size to the audit function only, and refuses a size API Gateway could not answer', () => {
    const functions = Object.values(synth({ ...COGNITO_STAGE, exportChunkBytes: 1048576 }).template.findResources('AWS::Lambda::Function'));
    const sized = functions.filter((f) => f.Properties.Environment?.Variables?.STINT_EXPORT_CHUNK_BYTES);
    expect(sized).toHaveLength(1);
    expect(sized[0]!.Properties.Environment.Variables.STINT_EXPORT_CHUNK_BYTES).toBe('1048576');
    expect(sized[0]!.Properties.Tags).toContainEqual({ Key: FUNCTION_TAG, Value: 'audit' });
    expect(() => synth({ ...COGNITO_STAGE, exportChunkBytes: 8000000 })).toThrow(/STINT_EXPORT_CHUNK_BYTES must be a whole number of bytes/);
  });

  it('serves the portal on a custom domain with TLS 1.2+, links emails there and allows CORS from it', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const { template } = synth({ ...OIDC_STAGE, portalDomain: 'pim.example.com', portalCertificateArn: arn });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['pim.example.com'],
        ViewerCertificate: { AcmCertificateArn: arn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      },
    });
    template.hasOutput('PortalUrl', { Value: 'https://pim.example.com/portal' });
    expect(JSON.stringify(template.findResources('Custom::StintPortalCors'))).toContain('\\"AllowOrigins\\":[\\"https://pim.example.com\\"]');
    expect(() => synth({ ...OIDC_STAGE, portalDomain: 'pim.example.com', portalCertificateArn: arn.replace('us-east-1', 'eu-west-1') })).toThrow(/us-east-1/);
  });

  it('passes the API domain, the default endpoint switch and the log retention on to the stack, and refuses them half set', () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
    const { template } = synth({
      ...COGNITO_STAGE,
      apiDomain: 'pim-api.example.com',
      apiCertificateArn: arn,
      disableExecuteApiEndpoint: true,
      logRetentionDays: 30,
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'pim-api.example.com' });
    const retentions = Object.values(template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays);
    expect(retentions.length).toBeGreaterThan(10);
    expect(retentions.filter((d) => d !== 30)).toEqual([]);
    expect(() => synth({ ...COGNITO_STAGE, disableExecuteApiEndpoint: true })).toThrow(/"disableExecuteApiEndpoint" needs "apiDomain"/);
    expect(() => synth({ ...COGNITO_STAGE, apiDomain: 'pim-api.example.com' })).toThrow(/"apiDomain" and "apiCertificateArn" go together/);
    expect(() => synth({ ...COGNITO_STAGE, apiDomain: 'a.example.com', apiCertificateArn: arn.replace('eu-west-1', 'us-east-1') })).toThrow(
      /in the stack's region, eu-west-1/,
    );
  });

  it('lets portalUrl override the address (a name in front of CloudFront set up by hand), for emails, sign-in and CORS', () => {
    const { template } = synth({ ...COGNITO_STAGE, portalUrl: 'https://pim.example.com/portal' });
    template.hasOutput('PortalUrl', { Value: 'https://pim.example.com/portal' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ClientName: 'stint-portal', CallbackURLs: ['https://pim.example.com/portal/callback'] });
    expect(JSON.stringify(template.findResources('Custom::StintPortalCors'))).toContain('\\"AllowOrigins\\":[\\"https://pim.example.com\\"]');
  });
});

/** Rewrites stage "test" in `dir` (its record stays) and returns `dir`. */
function writeAgain(dir: string, settings: object): string {
  writeStage(dir, 'test', settings);
  return dir;
}
