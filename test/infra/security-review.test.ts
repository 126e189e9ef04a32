/**
 * The security review points of issue 18, each read from the synthesized template (docs/security.md,
 * "Security review points"). One synth of the default stack with a retention and an API domain set; the
 * checks that need another shape build only what they need.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cognitoDomainPrefix } from '../../infra/constructs/cognito-domain.ts';
import { FUNCTION_TAG, PUBLIC_LAMBDA } from '../../infra/constructs/stint-api.ts';
import { DEFAULT_ACCESS_LOG_RETENTION_DAYS, DEFAULT_LOG_RETENTION_DAYS, StintLogs } from '../../infra/constructs/stint-logs.ts';
import { StintStack, type StintStackProps } from '../../infra/stint-stack.ts';
import { gatewayRoutes } from '../../shared/http/gateway-routes.ts';
import { SETTING } from '../../shared/settings.ts';

type Resource = { Type: string; Properties: Record<string, any> };

const STAGE = 'stint-sec';
const ACCOUNT = '123456789012';
const API_DOMAIN = 'pim-api.example.com';

let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const json = (value: unknown) => JSON.stringify(value);

/** The stack with the props this file is about set (the lead wires their settings), cdk-nag on as in app.ts. */
function synthStack(extra: Partial<StintStackProps>): Template {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new StintStack(app, 'Hardened', {
    stackName: `${STAGE}-hardened`,
    env: { account: ACCOUNT, region: 'eu-west-1' },
    identity: { cognito: { domainPrefix: cognitoDomainPrefix(STAGE, ACCOUNT) } },
    mailFrom: 'pim@example.com',
    firstAdmin: { userPrincipalName: 'ada@example.com' },
    ...extra,
  });
  return Template.fromStack(stack);
}

beforeAll(() => {
  template = synthStack({
    logRetentionDays: 30,
    apiDomain: { name: API_DOMAIN, certificateArn: `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555` },
    disableExecuteApiEndpoint: true,
  });
  resources = template.toJSON().Resources;
}, 600_000);

function functionNamed(name: string): [string, Resource] {
  const found = ofType('AWS::Lambda::Function').filter(([, f]) => (f.Properties.Tags ?? []).some((t: any) => t.Key === FUNCTION_TAG && t.Value === name));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Every statement of the policies attached to the function's role. */
function statementsOf(fn: Resource): any[] {
  const role = fn.Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const stackKey = () => {
  const keys = ofType('AWS::KMS::Key');
  expect(keys).toHaveLength(1);
  return keys[0]!;
};

describe('the public routes', () => {
  it('are all served by the one public function', () => {
    const publicLambdas = new Set(
      gatewayRoutes()
        .filter((r) => r.public)
        .map((r) => r.lambda),
    );
    expect([...publicLambdas]).toEqual([PUBLIC_LAMBDA]);
    expect(gatewayRoutes().filter((r) => r.lambda === PUBLIC_LAMBDA && !r.public)).toEqual([]);
  });

  it('run with no access to the table or the paging key, and are not told either', () => {
    const [, fn] = functionNamed(PUBLIC_LAMBDA);
    const actions = statementsOf(fn).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a: string) => /^(dynamodb|secretsmanager|kms):/.test(a))).toEqual([]);
    const env = fn.Properties.Environment.Variables;
    for (const setting of [SETTING.tableName, SETTING.pageTokenSecret, SETTING.pageTokenSecretId]) expect(env, setting).not.toHaveProperty(setting);
  });

  it('leave the other API functions their table access', () => {
    const [, roles] = functionNamed('roles');
    expect(json(statementsOf(roles))).toContain('dynamodb:PutItem');
  });
});

describe('the alarm topic key', () => {
  it('lets CloudWatch decrypt and make data keys only for this stack’s alarms in this account', () => {
    const [, key] = stackKey();
    const statements = key.Properties.KeyPolicy.Statement.filter((s: any) => json(s.Principal).includes('cloudwatch.amazonaws.com'));
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(statement.Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT);
    expect(json(statement.Condition.ArnLike['aws:SourceArn'])).toContain(`:alarm:${STAGE}-hardened-*`);
  });

  it('encrypts the topic, and every alarm is named so that the condition matches it', () => {
    const [keyId] = stackKey();
    const [, topic] = ofType('AWS::SNS::Topic')[0]!;
    expect(json(topic.Properties.KmsMasterKeyId)).toContain(keyId);
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(5);
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmName, id).toMatch(new RegExp(`^${STAGE}-hardened-`));
  });
});

describe('the paging key', () => {
  it('is never a value in a function’s environment: the API functions get the secret’s ARN and may read only it', () => {
    const [secretId] = ofType('AWS::SecretsManager::Secret')[0]!;
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const env = fn.Properties.Environment?.Variables ?? {};
      expect(env, id).not.toHaveProperty(SETTING.pageTokenSecret);
      expect(json(env), id).not.toContain('resolve:secretsmanager');
    }
    const [, roles] = functionNamed('roles');
    expect(roles.Properties.Environment.Variables[SETTING.pageTokenSecretId]).toEqual({ Ref: secretId });
    const reads = statementsOf(roles).filter((s) => json(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(reads.map((s) => s.Resource)).toEqual([{ Ref: secretId }]);
  });

  it('is read through the Parameters and Secrets extension, on every protected API function', () => {
    for (const name of ['roles', 'directory', 'access', 'audit']) {
      const [, fn] = functionNamed(name);
      expect(json(fn.Properties.Layers), name).toMatch(/AWS-Parameters-and-Secrets-Lambda-Extension/);
      expect(fn.Properties.Environment.Variables).toHaveProperty('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT');
    }
    const [, meta] = functionNamed(PUBLIC_LAMBDA);
    expect(meta.Properties.Layers).toBeUndefined();
  });
});

describe('log groups', () => {
  it('are each encrypted with the stack key and kept as long as logRetentionDays says', () => {
    const [keyId] = stackKey();
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(10);
    for (const [id, group] of groups) {
      expect(group.Properties.KmsKeyId, id).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      // Deploy-time custom resources keep theirs 30 days whatever the setting.
      expect(group.Properties.RetentionInDays, id).toBe(30);
    }
  });

  it('may be written only by CloudWatch Logs for this stack’s own log group names', () => {
    const [, key] = stackKey();
    const [statement] = key.Properties.KeyPolicy.Statement.filter((s: any) => json(s.Principal).includes('logs.eu-west-1.amazonaws.com'));
    const allowed: string[] = statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'].map(json);
    expect(allowed).toHaveLength(2);
    expect(allowed[0]).toContain(`:log-group:/stint/${STAGE}-hardened/*`);
    expect(allowed[1]).toContain(`:log-group:/aws/vendedlogs/states/${STAGE}-hardened/*`);
    for (const [id, group] of ofType('AWS::Logs::LogGroup')) {
      expect(group.Properties.LogGroupName, id).toMatch(new RegExp(`^(/stint/${STAGE}-hardened/|/aws/vendedlogs/states/${STAGE}-hardened/)`));
    }
  });

  it('default to a year, and 90 days for the access logs that hold callers’ addresses', () => {
    const app = new App();
    const stack = new Stack(app, 'Defaults', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const logs = StintLogs.of(stack);
    expect([logs.retentionFor('function'), logs.retentionFor('workflow'), logs.retentionFor('access')]).toEqual([
      DEFAULT_LOG_RETENTION_DAYS,
      DEFAULT_LOG_RETENTION_DAYS,
      DEFAULT_ACCESS_LOG_RETENTION_DAYS,
    ]);
    expect(DEFAULT_ACCESS_LOG_RETENTION_DAYS).toBe(90);
  });

  it('refuse a retention CloudWatch Logs does not offer', () => {
    const stack = new Stack(new App(), 'Odd');
    expect(() => StintLogs.configure(stack, { retentionDays: 100 })).toThrow(/logRetentionDays must be one of/);
  });
});

describe('the state machine’s log group', () => {
  it('is under /aws/vendedlogs/ and named from the stack', () => {
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const groupId = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(resources[groupId]!.Properties.LogGroupName).toMatch(new RegExp(`^/aws/vendedlogs/states/${STAGE}-hardened/`));
  });
});

describe('the default Cognito domain prefix', () => {
  it('never contains the account id, and is the same on every synth', () => {
    const prefix = cognitoDomainPrefix('stint', ACCOUNT);
    expect(prefix).toMatch(/^stint-[0-9a-f]{5}$/);
    expect(prefix).not.toContain(ACCOUNT);
    expect(cognitoDomainPrefix('stint', ACCOUNT)).toBe(prefix);
    expect(cognitoDomainPrefix('stint', '210987654321')).not.toBe(prefix);
    expect(cognitoDomainPrefix('stint-prod', ACCOUNT)).not.toBe(prefix);
  });

  it('is what the synthesized user pool domain uses, with no account id anywhere in it', () => {
    const [, domain] = ofType('AWS::Cognito::UserPoolDomain')[0]!;
    expect(domain.Properties.Domain).toBe(cognitoDomainPrefix(STAGE, ACCOUNT));
    expect(json(domain.Properties.Domain)).not.toContain(ACCOUNT);
  });

  it('takes a chosen prefix, checked against Cognito’s rules', () => {
    expect(cognitoDomainPrefix('stint', ACCOUNT, 'contoso-pim')).toBe('contoso-pim');
    expect(() => cognitoDomainPrefix('stint', ACCOUNT, 'my-cognito-login')).toThrow(/cognitoDomain/);
    expect(cognitoDomainPrefix('AwsStage', ACCOUNT)).toMatch(/^xstage-[0-9a-f]{5}$/);
  });
});

describe('custom resources', () => {
  it('each give up after minutes, not CloudFormation’s hour', () => {
    const custom = Object.entries(resources).filter(([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource');
    expect(custom.map(([, r]) => r.Type).sort()).toEqual(
      expect.arrayContaining(['Custom::CDKBucketDeployment', 'Custom::StintFirstAdministrator', 'Custom::StintPortalCors']),
    );
    for (const [id, r] of custom) {
      expect(Number(r.Properties.ServiceTimeout), id).toBeGreaterThan(0);
      expect(Number(r.Properties.ServiceTimeout), id).toBeLessThanOrEqual(20 * 60);
    }
  });
});

describe('the API’s default endpoint', () => {
  it('is turned off when the API has a domain of its own, which the portal then calls', () => {
    const [, api] = ofType('AWS::ApiGatewayV2::Api')[0]!;
    expect(api.Properties.DisableExecuteApiEndpoint).toBe(true);
    const [, domain] = ofType('AWS::ApiGatewayV2::DomainName')[0]!;
    expect(domain.Properties.DomainName).toBe(API_DOMAIN);
    expect(ofType('AWS::ApiGatewayV2::ApiMapping')).toHaveLength(1);
  });

  it('cannot be turned off without a domain', () => {
    expect(() => synthStack({ disableExecuteApiEndpoint: true })).toThrow(/needs a domain of your own/);
  });
});
