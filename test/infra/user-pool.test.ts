/**
 * The Cognito identity option (`-c identity=cognito`): one synth of the whole stack with it, bundling
 * skipped (stack.test.ts bundles for real), cdk-nag included.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StintStack } from '../../infra/stint-stack.ts';
import { COGNITO_STAGE, removeStageDirs, synthSettings } from './stage-fixture.ts';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] };

let outdir: string;
let stack: StintStack;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
function only(type: string): [string, Resource] {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
}
const clientNamed = (name: string) => ofType('AWS::Cognito::UserPoolClient').find(([, c]) => c.Properties.ClientName === name)!;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'stint-cognito-'));
  const app = synthSettings(COGNITO_STAGE, { outdir });
  if (!(app.stack instanceof StintStack)) throw new Error('expected the full stack');
  stack = app.stack;
  resources = Template.fromStack(stack).toJSON().Resources;
});

afterAll(() => {
  removeStageDirs();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('the user pool', () => {
  it('requires MFA on every sign-in, by TOTP only (no SMS)', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.SmsConfiguration).toBeUndefined();
    // A remembered device could skip MFA; none is remembered.
    expect(pool.Properties.DeviceConfiguration).toBeUndefined();
  });

  it('lets nobody sign up, keeps a strong password policy and threat protection enforced on the Plus plan', () => {
    const { Properties: p } = only('AWS::Cognito::UserPool')[1];
    expect(p.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(p.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 14,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(p.UserPoolTier).toBe('PLUS');
    expect(p.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    // An address is not used until verified, and only verified ones reach tokens.
    expect(p.UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
  });

  it('survives stack deletion and replacement once created: RetainExceptOnCreate and deletion protection', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(pool.UpdateReplacePolicy).toBe('Retain');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
  });

  it('has hosted sign-in (managed login, styled for the portal client) on the context-chosen domain prefix', () => {
    const [, domain] = only('AWS::Cognito::UserPoolDomain');
    expect(domain.Properties).toMatchObject({ Domain: 'stint-test-signin', ManagedLoginVersion: 2 });
    const [, style] = only('AWS::Cognito::ManagedLoginBranding');
    expect(style.Properties).toMatchObject({ ClientId: { Ref: clientNamed('stint-portal')[0] }, UseCognitoProvidedValues: true });
  });

  it('wires the pre-token-generation trigger with V2_0 events, so it can change access tokens', () => {
    const [poolId, pool] = only('AWS::Cognito::UserPool');
    const config = pool.Properties.LambdaConfig.PreTokenGenerationConfig;
    expect(config.LambdaVersion).toBe('V2_0');
    const functionId = config.LambdaArn['Fn::GetAtt'][0];
    const fn = resources[functionId]!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ STINT_POOL_MFA: 'required' });
    // It adds people to the directory at their first sign-in.
    expect(fn.Properties.Environment.Variables.STINT_TABLE_NAME).toEqual({ Ref: expect.stringMatching(/Table/) });
    const invoke = ofType('AWS::Lambda::Permission')
      .map(([, p]) => p.Properties)
      .find((p) => p.FunctionName['Fn::GetAtt']?.[0] === functionId)!;
    expect(invoke).toMatchObject({ Principal: 'cognito-idp.amazonaws.com', SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] } });
  });
});

describe("the portal's config.json", () => {
  it("names the pool as issuer, the portal client, Cognito's own logout, and the scopes the client may ask for", () => {
    const config = JSON.parse(
      readFileSync(
        readdirSync(outdir)
          .map((dir) => join(outdir, dir, 'config.json'))
          .find((file) => existsSync(file))!,
        'utf8',
      ),
    );
    expect(config.authority).toMatch(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/<<marker:0xbaba:\d>>$/);
    expect(config.clientId).toMatch(/^<<marker:0xbaba:\d>>$/);
    expect(config.scope).toBe('openid email profile');
    expect(config.endSessionEndpoint).toMatch(
      /^https:\/\/<<marker:0xbaba:\d>>\.auth\.eu-west-1\.amazoncognito\.com\/logout\?client_id=<<marker:0xbaba:\d>>&logout_uri=<<marker:0xbaba:\d>>\/$/,
    );
  });
});

describe('the app clients', () => {
  it('portal: authorization code only, no secret (PKCE), the portal as callback, no self-service email change', () => {
    const { Properties: p } = clientNamed('stint-portal')[1];
    expect(p.GenerateSecret).toBe(false);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect(p.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(p.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(p.SupportedIdentityProviders).toEqual(['COGNITO']);
    // The portal's CloudFront address: sign-in returns to /callback, sign-out to the app.
    const portal = (path: string) => [
      { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [only('AWS::CloudFront::Distribution')[0], 'DomainName'] }, `/portal${path}`]] },
    ];
    expect(p.CallbackURLs).toEqual(portal('/callback'));
    expect(p.LogoutURLs).toEqual(portal('/'));
    expect(p.WriteAttributes).toEqual(['name']);
    expect(p.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('scripts: client credentials with a secret, for the API resource server scope only', () => {
    const [serverId, server] = only('AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties).toMatchObject({ Identifier: 'stint', Scopes: [{ ScopeName: 'api' }] });
    const { Properties: p } = clientNamed('stint-scripts')[1];
    expect(p.GenerateSecret).toBe(true);
    expect(p.AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(p.AllowedOAuthScopes).toEqual([{ 'Fn::Join': ['', [{ Ref: serverId }, '/api']] }]);
  });
});

describe('the API with the pool', () => {
  it("checks tokens from the pool's issuer, for either app client", () => {
    const [poolId] = only('AWS::Cognito::UserPool');
    const { JwtConfiguration: jwt } = only('AWS::ApiGatewayV2::Authorizer')[1].Properties;
    expect(jwt.Issuer).toEqual({ 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: poolId }]] });
    expect(jwt.Audience).toEqual([{ Ref: clientNamed('stint-portal')[0] }, { Ref: clientNamed('stint-scripts')[0] }]);
  });

  it('tells the handlers the same issuer, both client ids and the pool keys', () => {
    const [poolId] = only('AWS::Cognito::UserPool');
    const api = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('Apiroles'))![1];
    const env = api.Properties.Environment.Variables;
    expect(JSON.stringify(env.STINT_JWT_ISSUER)).toContain(poolId);
    expect(env.STINT_JWT_AUDIENCE).toEqual({ 'Fn::Join': ['', [{ Ref: clientNamed('stint-portal')[0] }, ',', { Ref: clientNamed('stint-scripts')[0] }]] });
    expect(JSON.stringify(env.STINT_JWKS_URL)).toContain('/.well-known/jwks.json');
    // The pool's trigger sets upn from a verified address and stint_amr from the sign-in: only it is believed for them.
    expect(env).toMatchObject({ STINT_AUTHORITATIVE_CLAIMS: 'upn', STINT_ISSUER_IS_STACK_POOL: 'true' });
  });

  it('publishes what a deployer needs to sign in', () => {
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toEqual(
      expect.arrayContaining(['UserPoolId', 'SignInUrl', 'PortalClientId', 'ScriptsClientId']),
    );
  });
});

describe('cdk-nag (AwsSolutions) with the pool', () => {
  it('reports no finding that is not acknowledged', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? [])).toEqual([]);
  });
});
