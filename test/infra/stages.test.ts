/**
 * Stages side by side, clean failure and teardown, as far as synth shows them: two stages in one account
 * and region share no physical name; nothing is kept by a create that rolls back; a permissions boundary
 * reaches every role; an existing SES identity is reused; a teardown's kept resources synthesize alone, at
 * the logical ids the full stack gives them, for `cdk import`; and `npm run destroy` needs the stage.
 * Bundling is skipped: these tests read names and policies.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_STAGE } from '../../infra/stage/load.ts';
import { stageCommandArgs } from '../../infra/stage/command.ts';
import { COGNITO_STAGE, removeStageDirs, stagesDir, synthStage } from './stage-fixture.ts';

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
type Resources = Record<string, Resource>;

const BOUNDARY = 'arn:aws:iam::123456789012:policy/stint-boundary';
const DEV = { ...COGNITO_STAGE, cognitoDomain: 'acme-pim-dev', permissionsBoundary: BOUNDARY };
const PROD = { ...COGNITO_STAGE, cognitoDomain: 'acme-pim-prod', mailIdentityExists: true };

let dir: string;
let dev: Resources;
let prod: Resources;

beforeAll(() => {
  dir = stagesDir({ 'stint-dev': DEV, 'stint-prod': PROD });
  dev = Template.fromStack(synthStage(dir, 'stint-dev').stack).toJSON().Resources;
  prod = Template.fromStack(synthStage(dir, 'stint-prod').stack).toJSON().Resources;
});

afterAll(removeStageDirs);

/**
 * Names that identify a resource: a property named Name or …Name, …Domain or …Prefix, at any depth, with
 * a literal value (generated names are unique by CloudFormation's own doing). Attribute, index, metric
 * and dimension names are not resources' names.
 */
function physicalNames(resources: Resources): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (value: unknown, where: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' || key.startsWith('Fn::') || key === 'Dimensions') continue;
      const nameLike = /(^|[a-z])Name$|Domain$|Prefix$/.test(key) && !/^(Attribute|Index|Metric|Scope|Display|UserPrincipal)Name$/.test(key);
      if (nameLike && typeof v === 'string') names.set(v, `${where}.${key}`);
      else walk(v, `${where}.${key}`);
    }
  };
  for (const [id, r] of Object.entries(resources)) walk(r.Properties, `${r.Type} ${id}`);
  return names;
}

/** Names scoped inside one resource of their own stack (a role, an API, a pool, a bucket): the same in every stage by design. */
const SCOPED = [
  /^AWS::IAM::Policy \S+\.PolicyName$/,
  /^AWS::ApiGatewayV2::Stage \S+\.StageName$/,
  /^AWS::ApiGatewayV2::Authorizer \S+\.Name$/,
  /^AWS::StepFunctions::StateMachineAlias \S+\.Name$/,
  /^AWS::Cognito::UserPoolResourceServer \S+\.Name$/,
  /^AWS::Cognito::UserPoolClient \S+\.ClientName$/,
  /^AWS::Cognito::UserPool \S+\.AccountRecoverySetting\.RecoveryMechanisms\[\d+\]\.Name$/,
  /^Custom::CDKBucketDeployment \S+\.(DestinationBucketKeyPrefix|SourceBucketNames\[\d+\])$/,
];

describe('two stages in one account and region', () => {
  it('share no physical name: each is derived from the stage, or chosen per stage (the Cognito domain prefix)', () => {
    const devNames = physicalNames(dev);
    const prodNames = physicalNames(prod);
    expect(devNames.size).toBeGreaterThan(5);
    const shared = [...devNames].filter(([name]) => prodNames.has(name)).map(([name, where]) => `${where} = ${name}`);
    expect(shared.filter((s) => !SCOPED.some((scoped) => scoped.test(s.replace(/ = .*$/, ''))))).toEqual([]);
    // The names the guide's operations use, each the stage's own.
    for (const name of [
      'stint-dev-events',
      'stint-dev-request-lifecycle',
      'stint-dev-mail',
      'stint-dev-api',
      'stint-dev-eu-west-1-portal-routing',
      'acme-pim-dev',
    ])
      expect([...devNames.keys()]).toContain(name);
  });

  it('are refused when two stage files would both create the same Cognito domain or SES identity', () => {
    const clash = stagesDir({
      a: { ...COGNITO_STAGE, cognitoDomain: 'acme-pim' },
      b: { ...COGNITO_STAGE, cognitoDomain: 'acme-pim', mailFrom: 'b@example.com' },
    });
    expect(() => synthStage(clash, 'b')).toThrow(/"cognitoDomain" "acme-pim" is also a\.json's: domain prefixes are unique in a region/);
    const mail = stagesDir({ a: { ...COGNITO_STAGE, cognitoDomain: 'acme-a' }, b: { ...COGNITO_STAGE, cognitoDomain: 'acme-b' } });
    expect(() => synthStage(mail, 'b')).toThrow(/a\.json sends as "pim@example\.com" in the same account and region.*"mailIdentityExists": true/s);
  });
});

describe('a failed first create', () => {
  it('keeps nothing: every resource kept on delete is kept only once created (RetainExceptOnCreate), none plainly Retain', () => {
    for (const resources of [dev, prod]) {
      const kept = Object.values(resources).filter((r) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete');
      expect(kept.map((r) => r.Type)).toEqual(
        expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::Cognito::UserPool', 'AWS::Logs::LogGroup', 'AWS::KMS::Key']),
      );
      expect(kept.filter((r) => r.DeletionPolicy !== 'RetainExceptOnCreate').map((r) => `${r.Type} ${r.DeletionPolicy}`)).toEqual([]);
    }
  });

  it('can be avoided under an SCP that wants a permissions boundary: every role of the stage gets it', () => {
    const roles = Object.values(dev).filter((r) => r.Type === 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(20);
    for (const role of roles) expect(role.Properties?.PermissionsBoundary).toBe(BOUNDARY);
    for (const role of Object.values(prod).filter((r) => r.Type === 'AWS::IAM::Role')) expect(role.Properties?.PermissionsBoundary).toBeUndefined();
  });

  it('does not happen for an SES identity that exists: mailIdentityExists sends as it and creates none', () => {
    expect(Object.values(dev).filter((r) => r.Type === 'AWS::SES::EmailIdentity')).toHaveLength(1);
    expect(Object.values(prod).filter((r) => r.Type === 'AWS::SES::EmailIdentity')).toHaveLength(0);
    const sends = JSON.stringify(Object.values(prod).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r).includes('ses:SendEmail')));
    expect(sends).toContain(':identity/pim@example.com');
  });
});

describe('teardown and re-attach', () => {
  it('synthesizes only the kept table and user pool with importRetained, at the full stack logical ids, for cdk import', () => {
    // Prepare
    const again = stagesDir({ 'stint-dev': { ...DEV, importRetained: true } });

    // Act
    const retained = Template.fromStack(synthStage(again, 'stint-dev').stack).toJSON().Resources as Resources;

    // Assess
    const ids = (rs: Resources, type: string) =>
      Object.entries(rs)
        .filter(([, r]) => r.Type === type)
        .map(([id]) => id);
    expect(
      Object.values(retained)
        .map((r) => r.Type)
        .sort(),
    ).toEqual(['AWS::Cognito::UserPool', 'AWS::DynamoDB::Table']);
    expect(ids(retained, 'AWS::DynamoDB::Table')).toEqual(ids(dev, 'AWS::DynamoDB::Table'));
    expect(ids(retained, 'AWS::Cognito::UserPool')).toEqual(ids(dev, 'AWS::Cognito::UserPool'));
    // cdk import needs a DeletionPolicy on each imported resource, and the properties the stack deploys;
    // the pool's trigger, a function of the full stack, comes back with the deploy after the import.
    for (const [id, r] of Object.entries(retained)) {
      expect(r.DeletionPolicy).toBe('RetainExceptOnCreate');
      const { LambdaConfig: _trigger, ...deployed } = dev[id]!.Properties!;
      expect(r.Properties).toEqual(deployed);
    }
  });

  it('npm run destroy needs a stage that has its settings file, and is never the example stage', () => {
    expect(stageCommandArgs(['destroy', 'stint-dev'], dir)).toEqual(['cdk', 'destroy', '-c', 'stage=stint-dev']);
    expect(() => stageCommandArgs(['destroy'], dir)).toThrow(/npm run destroy -- <stage>/);
    expect(() => stageCommandArgs(['destroy', '--force'], dir)).toThrow(/needs the stage, first/);
    expect(() => stageCommandArgs(['destroy', 'stint-test'], dir)).toThrow(/No stages\/stint-test\.json/);
    expect(() => stageCommandArgs(['destroy', EXAMPLE_STAGE], dir)).toThrow(/only synthesizes/);
    expect(stageCommandArgs(['deploy', 'stint-prod', '-c', 'accept=mail'], dir)).toEqual(['cdk', 'deploy', '-c', 'stage=stint-prod', '-c', 'accept=mail']);
  });
});
