/**
 * The CDK entry point's settings: everything comes from context, and synth works offline without them.
 * Asset bundling is skipped here (`aws:cdk:bundling-stacks: []`, CDK's own switch): these tests read
 * settings, and stack.test.ts already bundles for real.
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createStintApp, PLACEHOLDER_AUDIENCE, PLACEHOLDER_ISSUER } from '../../infra/app.ts';
import { cognitoDomainPrefix } from '../../infra/constructs/cognito-domain.ts';
import { FUNCTION_TAG } from '../../infra/constructs/stint-api.ts';

function synth(context: Record<string, string>) {
  const { stack } = createStintApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return { stack, template: Template.fromStack(stack) };
}

function functionEnv(template: Template): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(functions.length).toBeGreaterThan(0);
  return functions[0]?.Properties.Environment.Variables;
}

describe('createStintApp', () => {
  it('without identity settings, makes the stack its own issuer: a Cognito user pool, its domain named from the stage without the account id', () => {
    // Act
    const { stack, template } = synth({ account: '123456789012' });

    // Assess
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: cognitoDomainPrefix('stint', '123456789012') });
    expect(cognitoDomainPrefix('stint', '123456789012')).not.toContain('123456789012');
    Annotations.fromStack(stack).hasNoWarning('/Stint', Match.stringLikeRegexp('-c jwtIssuer='));
  });

  it('refuses a Cognito option mixed with an external issuer, or a domain prefix Cognito would refuse', () => {
    expect(() => synth({ identity: 'cognito', jwtIssuer: 'https://login.example.com' })).toThrow(/identity=oidc/);
    expect(() => synth({ identity: 'cognito', cognitoDomain: 'my-cognito-login' })).toThrow(/cognitoDomain/);
    expect(() => synth({ identity: 'saml' })).toThrow(/"cognito" or "oidc"/);
  });

  it('with identity=oidc and no issuer, synthesizes with placeholders and a warning that says what to pass', () => {
    // Act
    const { stack, template } = synth({ identity: 'oidc' });

    // Assess
    expect(stack.stackName).toBe('stint');
    expect(stack.account).toMatch(/^\d{12}$/);
    expect(stack.region).not.toMatch(/^\$\{Token/);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { JwtConfiguration: { Issuer: PLACEHOLDER_ISSUER, Audience: [PLACEHOLDER_AUDIENCE] } });
    Annotations.fromStack(stack).hasWarning('/Stint', Match.stringLikeRegexp('-c jwtIssuer=.*-c jwtAudience='));
    Annotations.fromStack(stack).hasWarning('/Stint', Match.stringLikeRegexp('-c mailFrom='));
    Annotations.fromStack(stack).hasWarning('/Stint', Match.stringLikeRegexp('-c firstAdmin='));
  });

  it('takes the issuer, audience, stack name, account and region from context, and derives the JWKS URL; no user pool', () => {
    // Act
    const { stack, template } = synth({
      jwtIssuer: 'https://login.example.com/tenant/',
      jwtAudience: 'api://stint',
      portalClientId: 'portal-spa',
      mailFrom: 'pim@example.com',
      firstAdmin: 'ada@example.com',
      stage: 'stint-dev',
      account: '123456789012',
      region: 'eu-west-1',
    });

    // Assess
    expect(stack.stackName).toBe('stint-dev');
    expect([stack.account, stack.region]).toEqual(['123456789012', 'eu-west-1']);
    expect(functionEnv(template)).toMatchObject({
      STINT_JWT_ISSUER: 'https://login.example.com/tenant/',
      STINT_JWT_AUDIENCE: 'api://stint',
    });
    // No JWKS address: the functions read jwks_uri from the issuer's discovery document, as API Gateway does.
    expect(functionEnv(template).STINT_JWKS_URL).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
  });

  it('passes a claim mapping to the API functions when the issuer names people in other claims', () => {
    const { template } = synth({
      jwtIssuer: 'https://login.example.com',
      jwtAudience: 'api://stint',
      upnClaim: 'employee_upn,email',
      nameClaim: 'display_name',
    });
    expect(functionEnv(template)).toMatchObject({ STINT_CLAIM_UPN: 'employee_upn,email', STINT_CLAIM_NAME: 'display_name' });
    expect(functionEnv(synth({ jwtIssuer: 'https://login.example.com', jwtAudience: 'api://stint' }).template).STINT_CLAIM_UPN).toBeUndefined();
  });

  it("tells the API what the issuer is trusted for: Entra ID's defaults, any other provider's, and what context says", () => {
    const entra = functionEnv(synth({ jwtIssuer: 'https://login.microsoftonline.com/tenant-1/v2.0', jwtAudience: 'api://stint' }).template);
    expect(entra).toMatchObject({
      STINT_SUBJECT_CLAIM: 'oid',
      STINT_AUTHORITATIVE_CLAIMS: 'upn,preferred_username',
      STINT_ACCESS_TOKEN_CLAIMS: 'scp,roles',
      // Entra's app-only tokens carry no scp: without it a token is a service principal's.
      STINT_PERSON_CLAIMS: 'scp',
    });
    expect(entra.STINT_JWKS_URL).toBeUndefined();
    const other = functionEnv(synth({ jwtIssuer: 'https://acme.okta.com/oauth2/default', jwtAudience: 'api://stint' }).template);
    expect(other).toMatchObject({ STINT_SUBJECT_CLAIM: 'sub', STINT_AUTHORITATIVE_CLAIMS: 'upn' });
    expect(other.STINT_ACCESS_TOKEN_CLAIMS).toBeUndefined();
    expect(other.STINT_PERSON_CLAIMS).toBeUndefined();
    expect(other.STINT_MFA_CLAIMS).toBeUndefined();
    expect(other.STINT_ISSUER_IS_STACK_POOL).toBeUndefined();
    const chosen = functionEnv(
      synth({ jwtIssuer: 'https://acme.okta.com/oauth2/default', jwtAudience: 'api://stint', subjectClaim: 'uid', authoritativeClaims: 'none' }).template,
    );
    expect(chosen.STINT_SUBJECT_CLAIM).toBe('uid');
    expect(chosen.STINT_AUTHORITATIVE_CLAIMS).toBeUndefined();
  });

  it('uses an explicit jwksUrl when the issuer publishes its keys elsewhere', () => {
    const { template } = synth({
      jwtIssuer: 'https://acme.okta.com/oauth2/default',
      jwtAudience: 'api://stint',
      jwksUrl: 'https://acme.okta.com/oauth2/default/v1/keys',
    });
    expect(functionEnv(template).STINT_JWKS_URL).toBe('https://acme.okta.com/oauth2/default/v1/keys');
  });

  it('passes the MFA evidence, the person claims and the sign-in time claim, and refuses malformed evidence at synth', () => {
    const env = functionEnv(
      synth({
        jwtIssuer: 'https://login.microsoftonline.com/tenant-1/v2.0',
        jwtAudience: 'api://stint',
        mfaClaims: 'acrs=c1',
        personClaims: 'scp,wids',
        authTimeClaim: 'https://stint.example.com/auth_time',
      }).template,
    );
    expect(env).toMatchObject({ STINT_MFA_CLAIMS: 'acrs=c1', STINT_PERSON_CLAIMS: 'scp,wids', STINT_AUTH_TIME_CLAIM: 'https://stint.example.com/auth_time' });
    expect(() => synth({ jwtIssuer: 'https://login.example.com', jwtAudience: 'api://stint', mfaClaims: 'mfa' })).toThrow(
      /STINT_MFA_CLAIMS must be claim=value/,
    );
  });

  it('passes the audit retention to every function, keeps audit records forever without it, and refuses a bad value', () => {
    const kept = synth({ identity: 'oidc' }).template;
    for (const f of Object.values(kept.findResources('AWS::Lambda::Function')))
      expect(f.Properties.Environment?.Variables?.STINT_AUDIT_RETENTION_DAYS).toBeUndefined();
    const expiring = Object.values(synth({ identity: 'oidc', auditRetentionDays: '2555' }).template.findResources('AWS::Lambda::Function'));
    const stint = expiring.filter((f) => f.Properties.Environment?.Variables?.STINT_TABLE_NAME);
    expect(stint.length).toBeGreaterThan(10);
    for (const f of stint) expect(f.Properties.Environment.Variables.STINT_AUDIT_RETENTION_DAYS).toBe('2555');
    expect(() => synth({ identity: 'oidc', auditRetentionDays: 'seven years' })).toThrow(/whole number of days/);
  });

  it('passes the export chunk size to the audit function only, and refuses a size API Gateway could not answer', () => {
    const functions = Object.values(synth({ identity: 'oidc', exportChunkBytes: '1048576' }).template.findResources('AWS::Lambda::Function'));
    const sized = functions.filter((f) => f.Properties.Environment?.Variables?.STINT_EXPORT_CHUNK_BYTES);
    expect(sized).toHaveLength(1);
    expect(sized[0]!.Properties.Environment.Variables.STINT_EXPORT_CHUNK_BYTES).toBe('1048576');
    expect(sized[0]!.Properties.Tags).toContainEqual({ Key: FUNCTION_TAG, Value: 'audit' });
    expect(() => synth({ identity: 'oidc', exportChunkBytes: '8000000' })).toThrow(/STINT_EXPORT_CHUNK_BYTES must be a whole number of bytes/);
  });

  it('refuses an issuer that API Gateway cannot use and a stack name CloudFormation cannot', () => {
    expect(() => synth({ jwtIssuer: 'http://login.example.com', jwtAudience: 'a' })).toThrow(/https/);
    expect(() => synth({ stage: 'stint_dev' })).toThrow(/stage/);
  });

  it("with an external issuer, warns until the portal's client there is named", () => {
    const { stack } = synth({ jwtIssuer: 'https://login.example.com', jwtAudience: 'api://stint' });
    Annotations.fromStack(stack).hasWarning('/Stint', Match.stringLikeRegexp('-c portalClientId=.*/callback'));
    expect(() => synth({ identity: 'cognito', portalClientId: 'x' })).toThrow(/identity=oidc/);
  });

  it('serves the portal on a custom domain with TLS 1.2+, links emails there and allows CORS from it', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const { template } = synth({ identity: 'oidc', portalDomain: 'pim.example.com', portalCertificateArn: arn });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['pim.example.com'],
        ViewerCertificate: { AcmCertificateArn: arn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    template.hasOutput('PortalUrl', { Value: 'https://pim.example.com/portal' });
    expect(JSON.stringify(template.findResources('Custom::StintPortalCors'))).toContain('\\"AllowOrigins\\":[\\"https://pim.example.com\\"]');
    expect(() => synth({ portalDomain: 'pim.example.com' })).toThrow(/portalCertificateArn/);
    expect(() => synth({ portalDomain: 'pim.example.com', portalCertificateArn: arn.replace('us-east-1', 'eu-west-1') })).toThrow(/us-east-1/);
  });

  it('lets portalUrl override the address (a name in front of CloudFront set up by hand), for emails, sign-in and CORS', () => {
    const { template } = synth({ identity: 'cognito', portalUrl: 'https://pim.example.com/portal' });
    template.hasOutput('PortalUrl', { Value: 'https://pim.example.com/portal' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ClientName: 'stint-portal', CallbackURLs: ['https://pim.example.com/portal/callback'] });
    expect(JSON.stringify(template.findResources('Custom::StintPortalCors'))).toContain('\\"AllowOrigins\\":[\\"https://pim.example.com\\"]');
  });
});
