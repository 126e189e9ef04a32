/**
 * AWS access as deployed: the connector's policies, its settings and alarms, with and without
 * `awsInstanceArn`, and cdk-nag clean either way. Bundling is skipped (`aws:cdk:bundling-stacks: []`):
 * these tests read permissions, and stack.test.ts already bundles for real.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COGNITO_STAGE, removeStageDirs, synthSettings } from './stage-fixture.ts';
import { REPO_ROOT } from '../../infra/constructs/stint-function.ts';
import { AwsReconcileSchedule } from '../../infra/constructs/aws-reconcile-schedule.ts';
import { AWS_METRIC } from '../../shared/services/aws/metrics.ts';

const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const STORE_ID = 'd-1234567890';
const OWN_ACCOUNT = '123456789012';
const MANAGEMENT_ACCOUNT = '111111111111';
const CONNECTED = { awsInstanceArn: INSTANCE_ARN, awsIdentityStoreId: STORE_ID, awsExcludedAccounts: [MANAGEMENT_ACCOUNT, '222222222222'] };

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, string>> };
interface Synth {
  stack: Stack;
  template: Template;
  resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  violations: unknown[];
}

const outdirs: string[] = [];
function synth(settings: Record<string, unknown>): Synth {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const outdir = mkdtempSync(join(tmpdir(), 'stint-aws-'));
  outdirs.push(outdir);
  const { stack } = synthSettings({ ...COGNITO_STAGE, account: OWN_ACCOUNT, ...settings }, { outdir, context: cdkJson.context });
  const template = Template.fromStack(stack);
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return {
    stack,
    template,
    resources: template.toJSON().Resources,
    violations: report.pluginReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? []),
  };
}

const actions = (s: Statement): string[] => [s.Action].flat();
const resourcesOf = (s: Statement): string[] => [s.Resource].flat().map((r) => JSON.stringify(r));

function statements(s: Synth): Statement[] {
  return Object.values(s.resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

/** The managed policies attached to the role of the function whose entry is `entry`, by logical id. */
function policiesOf(s: Synth, entry: string): string[] {
  const [, fn] = Object.entries(s.resources).find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === `stint-${entry}`,
  )!;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.entries(s.resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.Roles?.some((ref: { Ref: string }) => ref.Ref === roleId))
    .map(([id]) => id);
}

function envOf(s: Synth, entry: string): Record<string, unknown> {
  return Object.values(s.resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === `stint-${entry}`,
  )!.Properties.Environment.Variables;
}

let connected: Synth;
let disconnected: Synth;

beforeAll(() => {
  connected = synth(CONNECTED);
  disconnected = synth({});
}, 300_000);

afterAll(() => {
  removeStageDirs();
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('with awsInstanceArn: the connector', () => {
  const assignment = ['sso:CreateAccountAssignment', 'sso:DeleteAccountAssignment'];
  const allows = () => statements(connected).filter((s) => s.Effect === 'Allow');

  it('creates and deletes assignments only with permission sets of the instance tagged stint:managed=true', () => {
    const onPermissionSets = allows().filter((s) => actions(s).some((a) => assignment.includes(a)) && resourcesOf(s).some((r) => r.includes('permissionSet/')));
    expect(onPermissionSets.length).toBeGreaterThan(0);
    for (const s of onPermissionSets) {
      expect(s.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/stint:managed': 'true' } });
      for (const r of resourcesOf(s)) expect(r).toContain(':sso:::permissionSet/ssoins-1234567890abcdef/*');
    }
    // Without the tag condition the writes reach only the instance and accounts, never a permission set or '*'.
    for (const s of allows().filter((s) => actions(s).some((a) => assignment.includes(a)) && !s.Condition)) {
      for (const r of resourcesOf(s)) expect(r).toMatch(/sso:::(instance\/ssoins-1234567890abcdef|account\/\*)"/);
    }
  });

  it('denies assignments in the excluded accounts and in the account Stint runs in', () => {
    const denies = statements(connected).filter((s) => s.Effect === 'Deny');
    expect(denies.length).toBeGreaterThan(0);
    for (const s of denies) expect(actions(s).sort()).toEqual(assignment);
    const denied = denies.flatMap(resourcesOf).join(' ');
    for (const account of [MANAGEMENT_ACCOUNT, '222222222222', OWN_ACCOUNT]) expect(denied).toContain(`:sso:::account/${account}"`);
  });

  it('never writes permission sets, provisions them, or touches IAM', () => {
    const granted = allows().flatMap(actions);
    expect(granted.filter((a) => a.startsWith('iam:'))).toEqual([]);
    expect(granted.filter((a) => /^sso:/.test(a) && /PermissionSet/.test(a) && !/^sso:(List|Describe)/.test(a))).toEqual([]);
    expect([...new Set(granted.filter((a) => /^sso:(Create|Delete|Put|Update|Attach|Detach|Tag|Untag|Provision)/.test(a)))].sort()).toEqual(assignment);
    expect(granted.filter((a) => a.endsWith(':*'))).toEqual([]);
  });

  it('reads identity-store users of this store only, and the organization tree', () => {
    const store = allows().find((s) => actions(s).includes('identitystore:GetUserId'))!;
    expect(actions(store)).toContain('identitystore:DescribeUser');
    expect(resourcesOf(store).join(' ')).toContain(`:identitystore::*:identitystore/${STORE_ID}`);
    const granted = allows().flatMap(actions);
    for (const a of ['organizations:DescribeOrganization', 'organizations:ListParents', 'organizations:ListAccountsForParent', 'organizations:DescribeAccount'])
      expect(granted).toContain(a);
    expect(granted.filter((a) => a.startsWith('organizations:') && !/^organizations:(Describe|List)/.test(a))).toEqual([]);
  });

  it('gives the lifecycle Lambda the assign policy and the roles API Lambda only the read policy, with the settings', () => {
    const [lifecycle] = policiesOf(connected, 'lifecycle');
    const [roles] = policiesOf(connected, 'roles');
    expect(lifecycle).toMatch(/AssignPolicy/);
    expect(roles).toMatch(/ReadPolicy/);
    const readPolicy = connected.resources[roles!]!.Properties.PolicyDocument.Statement as Statement[];
    expect(readPolicy.flatMap(actions).filter((a) => a.startsWith('sso:') && !/^sso:(List|Describe)/.test(a))).toEqual([]);
    expect(policiesOf(connected, 'directory')).toEqual([]);
    for (const entry of ['lifecycle', 'roles']) {
      expect(envOf(connected, entry), entry).toMatchObject({
        STINT_AWS_INSTANCE_ARN: INSTANCE_ARN,
        STINT_AWS_IDENTITY_STORE_ID: STORE_ID,
        STINT_AWS_EXCLUDED_ACCOUNTS: `${MANAGEMENT_ACCOUNT},222222222222,${OWN_ACCOUNT}`,
        STINT_AWS_REMOVE_UNMANAGED: 'false',
      });
      expect(envOf(connected, entry).STINT_AWS_REGION, entry).toBeUndefined();
    }
  });

  it('runs the reconciler every five minutes with the assign policy and the settings, its failures watched by an alarm', () => {
    const [policy] = policiesOf(connected, 'aws-reconcile');
    expect(policy).toMatch(/AssignPolicy/);
    expect(envOf(connected, 'aws-reconcile')).toMatchObject({ STINT_AWS_INSTANCE_ARN: INSTANCE_ARN, STINT_AWS_REMOVE_UNMANAGED: 'false' });
    const [fnId] = Object.entries(connected.resources).find(
      ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'stint-aws-reconcile',
    )!;
    const schedules = Object.values(connected.resources).filter(
      (r) => r.Type === 'AWS::Scheduler::Schedule' && JSON.stringify(r.Properties.Target.Arn).includes(fnId),
    );
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    const queueAlarm = Object.values(connected.resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && String(r.Properties.AlarmDescription ?? '').includes('AwsReconcileFailures'),
    );
    expect(queueAlarm).toBeDefined();
  });

  it('raises the three AWS alarms on the metrics shared/services/aws/metrics.ts names', () => {
    const alarms = Object.values(connected.resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    for (const metric of Object.values(AWS_METRIC)) {
      const alarm = alarms.find((a) => a.Properties.MetricName === metric)!;
      expect(alarm.Properties, metric).toMatchObject({ Namespace: 'Stint', Threshold: 1, Period: 300, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      expect(alarm.Properties.Dimensions, metric).toBeUndefined();
      expect(alarm.Properties.AlarmActions, metric).toHaveLength(1);
    }
  });

  it('leaves cdk-nag with no finding that is not acknowledged', () => {
    expect(connected.violations).toEqual([]);
  });

  it('warns when no account is excluded: the management account belongs there', () => {
    const { stack } = synth({ awsInstanceArn: INSTANCE_ARN, awsIdentityStoreId: STORE_ID, awsRegion: 'eu-west-1', awsRemoveUnmanaged: true });
    Annotations.fromStack(stack).hasWarning('/Stint', Match.stringLikeRegexp('awsExcludedAccounts'));
    Annotations.fromStack(connected.stack).hasNoWarning('/Stint', Match.stringLikeRegexp('awsExcludedAccounts'));
  });
});

describe('without awsInstanceArn', () => {
  it('grants nothing in Identity Center, the identity store or Organizations, and tells no function about AWS access', () => {
    expect(
      statements(disconnected)
        .flatMap(actions)
        .filter((a) => /^(sso|identitystore|organizations):/.test(a)),
    ).toEqual([]);
    expect(Object.values(disconnected.resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')).toEqual([]);
    for (const r of Object.values(disconnected.resources).filter((r) => r.Type === 'AWS::Lambda::Function'))
      expect(Object.keys(r.Properties.Environment?.Variables ?? {}).filter((k) => k.startsWith('STINT_AWS_'))).toEqual([]);
    expect(Object.values(disconnected.resources).filter((r) => Object.values(AWS_METRIC).includes(r.Properties?.MetricName))).toEqual([]);
  });

  it('leaves cdk-nag with no finding that is not acknowledged', () => {
    expect(disconnected.violations).toEqual([]);
  });
});

describe('the AWS settings', () => {
  it('refuses a malformed value, a store without an instance, an instance without a store, and AWS settings without an instance', () => {
    expect(() => synth({ awsInstanceArn: 'ssoins-123', awsIdentityStoreId: STORE_ID })).toThrow(/STINT_AWS_INSTANCE_ARN/);
    expect(() => synth({ awsInstanceArn: INSTANCE_ARN })).toThrow(/"awsIdentityStoreId" is required with "awsInstanceArn"/);
    expect(() => synth({ ...CONNECTED, awsExcludedAccounts: ['12345'] })).toThrow(/12-digit/);
    expect(() => synth({ ...CONNECTED, awsRemoveUnmanaged: 'yes' })).toThrow(/"awsRemoveUnmanaged"/);
    expect(() => synth({ awsIdentityStoreId: STORE_ID, awsExcludedAccounts: [MANAGEMENT_ACCOUNT] })).toThrow(
      /"awsIdentityStoreId" configures AWS access, which needs "awsInstanceArn" too[\s\S]*"awsExcludedAccounts" configures AWS access/,
    );
  });
});

describe('the reconciler schedule', () => {
  it('invokes the function it is given every five minutes, without retries, parking failures in an encrypted queue', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const fn = new LambdaFunction(stack, 'Reconciler', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = () => {}'),
    });

    // Act
    const schedule = new AwsReconcileSchedule(stack, 'AwsReconcile', { function: fn });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: {
        Arn: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as never), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(schedule.failures.node.defaultChild as never), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });
});
