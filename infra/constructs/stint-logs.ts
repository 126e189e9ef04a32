/**
 * The stack's one KMS key and every log group made with it. Logs hold client addresses and who did what,
 * so they are encrypted with a key the deployer controls (its every use is in CloudTrail, and disabling it
 * makes the logs unreadable) and kept only as long as a setting says. The same key encrypts the alarm
 * topic; each service may use it only for this stack's own log groups and alarms (aws:SourceArn and the
 * logs encryption context), never as a general-purpose key.
 */
import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';

/** The retentions CloudWatch Logs accepts (RetentionInDays). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Lambda and workflow logs: long enough to investigate an incident reported late. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;
/** API access logs carry every caller's address: kept a quarter unless `logRetentionDays` says otherwise. */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 90;
/** Logs of deploy-time custom resources: only a failed deploy is ever read there. */
const DEPLOYMENT_LOG_RETENTION_DAYS = 30;

/** What a log group holds, which decides its default retention and its name. */
export type LogKind = 'function' | 'workflow' | 'access' | 'deployment';

export interface StintLogsProps {
  /** Days every log group keeps events; unset: 365 for functions and workflows, 90 for API access logs, 30 for deploys. */
  readonly retentionDays?: number;
}

const ID = 'StintLogs';

export class StintLogs extends Construct {
  /** The stack's key: log groups and the alarm topic. */
  readonly key: Key;
  private readonly retentionDays?: number;

  /** The stack's StintLogs, made with the defaults the first time one is asked for. */
  static of(scope: IConstruct): StintLogs {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(ID) as StintLogs | undefined) ?? new StintLogs(stack, {});
  }

  /** Call before any construct makes a log group (StintStack does, first), or the defaults are used. */
  static configure(stack: Stack, props: StintLogsProps): StintLogs {
    if (stack.node.tryFindChild(ID)) throw new Error('StintLogs.configure must come before the first log group.');
    return new StintLogs(stack, props);
  }

  private constructor(stack: Stack, props: StintLogsProps) {
    super(stack, ID);
    if (props.retentionDays !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionDays)) {
      throw new Error(`logRetentionDays must be one of CloudWatch Logs' retentions (${LOG_RETENTION_DAYS.join(', ')}); got ${props.retentionDays}.`);
    }
    this.retentionDays = props.retentionDays;
    this.key = new Key(this, 'Key', {
      enableKeyRotation: true,
      description: `Stint (${stack.stackName}): encrypts its log groups and its alarm topic`,
    });
    const logsArn = (name: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsForThisStacksLogGroups',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        // CloudWatch Logs names the log group in the encryption context of every call it makes.
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupPrefixes(stack).map((p) => logsArn(`${p}*`)) } },
      }),
    );
  }

  /**
   * A log group named from the stack (so its ARN is known to the key policy without a reference, and two
   * stages never share one), encrypted with the stack's key, kept `retentionDays` or its kind's default.
   */
  logGroup(scope: Construct, id: string, kind: LogKind, removalPolicy?: RemovalPolicy): LogGroup {
    return new LogGroup(scope, id, {
      logGroupName: logGroupName(scope, id, kind),
      encryptionKey: this.key,
      retention: this.retentionFor(kind) as RetentionDays,
      ...(removalPolicy ? { removalPolicy } : {}),
    });
  }

  retentionFor(kind: LogKind): number {
    if (kind === 'deployment') return DEPLOYMENT_LOG_RETENTION_DAYS;
    if (this.retentionDays !== undefined) return this.retentionDays;
    return kind === 'access' ? DEFAULT_ACCESS_LOG_RETENTION_DAYS : DEFAULT_LOG_RETENTION_DAYS;
  }
}

/**
 * Where the stack's log groups live: `/stint/{stack}/…`, and the workflow's under `/aws/vendedlogs/`, the
 * prefix for which Step Functions (a vended-logs source) needs no CloudWatch Logs resource policy entry,
 * whose 5,120-character limit is shared by the whole account and region.
 */
export function logGroupPrefixes(stack: Stack): string[] {
  return [`/stint/${stack.stackName}/`, `/aws/vendedlogs/states/${stack.stackName}/`];
}

/** `/stint/{stack}/{construct path}`: stable, unique in the stack, and readable in the console. */
export function logGroupName(scope: Construct, id: string, kind: LogKind): string {
  const stack = Stack.of(scope);
  const [stint, vended] = logGroupPrefixes(stack) as [string, string];
  const relative = [...scope.node.scopes.slice(stack.node.scopes.length).map((s) => s.node.id), id].join('/');
  return `${kind === 'workflow' ? vended : stint}${relative.replace(/[^A-Za-z0-9_./#-]/g, '-')}`;
}
