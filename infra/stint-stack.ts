/** The Stint stack: composes the constructs and publishes what a deployer needs. No raw resources here. */
import { Aspects, CfnOutput, Duration, Lazy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { ManagedPolicy, PermissionsBoundary } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { StintApi, type StintIdentity } from './constructs/stint-api.ts';
import { FirstAdministrator } from './constructs/first-administrator.ts';
import { AccessReviewJob } from './constructs/access-review-job.ts';
import { ScheduledJob } from './constructs/scheduled-job.ts';
import { StintAlarms } from './constructs/stint-alarms.ts';
import { StintBackground } from './constructs/stint-background.ts';
import { StintTable } from './constructs/stint-table.ts';
import { StintUserPool } from './constructs/stint-user-pool.ts';
import { StintFunction } from './constructs/stint-function.ts';
import { StintLogs } from './constructs/stint-logs.ts';
import { PortalSite, type DeployedPortalConfig } from './constructs/portal-site.ts';
import { PortalCors } from './constructs/portal-cors.ts';
import { AwsConnector, type AwsConnection } from './constructs/aws-connector.ts';
import { AwsReconciler } from './constructs/aws-reconciler.ts';
import { SETTING } from '../shared/settings.ts';
import { RetainOnceCreated } from './retain-once-created.ts';

/** A user pool this stack creates (docs/architecture.md §1: "Cognito user pool with MFA"). */
export interface CognitoIdentityOptions {
  /** The hosted sign-in's domain prefix. */
  readonly domainPrefix: string;
  /** Extra sign-in return addresses beyond the portal's (e.g. a local portal during development). */
  readonly callbackUrls?: string[];
}

export interface StintStackProps extends StackProps {
  /** An external OIDC issuer's tokens, or `{ cognito }` for a user pool of the stack's own. */
  readonly identity: StintIdentity | { readonly cognito: CognitoIdentityOptions };
  /** The SES-verified address notifications come from. */
  readonly mailFrom: string;
  /** The portal's address (emails link there, sign-in returns there); default: its CloudFront address (or `portalDomain`) + /portal. */
  readonly portalUrl?: string;
  /** A name of your own for the portal, with the ARN of its ACM certificate in us-east-1. */
  readonly portalDomain?: { readonly name: string; readonly certificateArn: string };
  /** With an external issuer: the portal's app registration there (a public client with PKCE) and the scope it asks for. */
  readonly portalClient?: { readonly clientId: string; readonly scope?: string };
  /** Verify this whole domain in SES (DKIM) instead of the single mailFrom address. */
  readonly mailDomain?: string;
  /** Where alarms are emailed. */
  readonly alarmEmail?: string;
  /** Audit records expire this many days after they were written; unset: kept forever (README, "Audit history"). */
  readonly auditRetentionDays?: number;
  /** The largest audit export chunk in bytes; unset: 4 MiB (README, "Configuration"). */
  readonly exportChunkBytes?: number;
  /** The first Global Administrator's user principal name (and display name). */
  readonly firstAdmin?: { userPrincipalName: string; displayName?: string };
  /** AWS access through IAM Identity Center; unset, not connected (docs/deploy.md, "AWS access through IAM Identity Center"). */
  readonly aws?: AwsConnection;
  /** The stage (stages/<stage>.json; default the stack name): every physical name starts with it, so stages live side by side in one account and region. */
  readonly stage?: string;
  /** The SES identity for mailFrom/mailDomain exists already (verified by another stack or by hand): use it, create none. */
  readonly mailIdentityExists?: boolean;
  /** A managed policy every IAM role of the stack gets as its permissions boundary (an SCP may require one). */
  readonly permissionsBoundaryArn?: string;
  /** Synthesize only what a teardown keeps (the table, the user pool), for `cdk import` into a new stack (docs/deploy.md §10). */
  readonly importRetained?: boolean;
  /** A name of your own for the API, with the ARN of its ACM certificate in the stack's region. */
  readonly apiDomain?: { readonly name: string; readonly certificateArn: string };
  /** Serve the API only at `apiDomain`: its default execute-api endpoint is turned off (docs/security.md). */
  readonly disableExecuteApiEndpoint?: boolean;
  /** Days every log group keeps its events (one of CloudWatch Logs' retentions); unset: 365, and 90 for the API's access logs (docs/security.md). */
  readonly logRetentionDays?: number;
}

export class StintStack extends Stack {
  readonly table: StintTable;
  readonly api: StintApi;
  readonly background: StintBackground;
  readonly alarms: StintAlarms;
  readonly reviewJob: AccessReviewJob;
  readonly alertsJob: ScheduledJob;
  readonly digestJob: ScheduledJob;
  readonly userPool?: StintUserPool;
  readonly portal: PortalSite;
  /** Set when AWS access is connected: `awsConnector.attach(fn, 'assign' | 'read')` gives a function its policy and settings. */
  readonly awsConnector?: AwsConnector;
  /** Set when AWS access is connected: the reconciler every five minutes. */
  readonly awsReconciler?: AwsReconciler;

  constructor(scope: Construct, id: string, props: StintStackProps) {
    super(scope, id, props);
    applyStageDefaults(this, props);
    // First: every construct below makes its log groups with the stack's key and this retention.
    StintLogs.configure(this, { retentionDays: props.logRetentionDays });
    this.table = new StintTable(this, 'Data');
    // The portal's address is known only once its distribution exists, after the user pool that needs it.
    const portalUrl = Lazy.string({ produce: () => props.portalUrl ?? this.portal.url });
    const identity = props.identity;
    if ('cognito' in identity) {
      this.userPool = new StintUserPool(this, 'Identity', {
        table: this.table.table,
        domainPrefix: identity.cognito.domainPrefix,
        callbackUrls: [`${portalUrl}/callback`, ...(identity.cognito.callbackUrls ?? [])],
        logoutUrls: [`${portalUrl}/`],
      });
    }
    const tokens = this.userPool?.identity ?? (identity as StintIdentity);
    this.api = new StintApi(this, 'Api', {
      table: this.table.table,
      identity: tokens,
      domain: props.apiDomain && {
        name: props.apiDomain.name,
        certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', props.apiDomain.certificateArn),
      },
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
    });

    this.portal = new PortalSite(this, 'Portal', {
      // The page calls the API and the issuer (discovery, token endpoint; Cognito's is its sign-in domain).
      connectOrigins: [this.api.origin, ...(this.userPool ? [cognitoIdpOrigin(this.region), this.userPool.signInUrl] : [tokens.issuer])],
      domain: props.portalDomain && {
        name: props.portalDomain.name,
        certificate: Certificate.fromCertificateArn(this, 'PortalCertificate', props.portalDomain.certificateArn),
      },
    });
    this.portal.publish(this.portalConfig(tokens.issuer, portalUrl, props));
    new PortalCors(this, 'PortalCors', { httpApi: this.api.httpApi, origin: props.portalUrl ? new URL(props.portalUrl).origin : this.portal.origin });

    this.background = new StintBackground(this, 'Background', {
      table: this.table.table,
      mailFrom: props.mailFrom,
      mailDomain: props.mailDomain,
      mailIdentityExists: props.mailIdentityExists,
      portalUrl,
    });
    const bg = this.background;
    this.reviewJob = new AccessReviewJob(this, 'AccessReviews', { table: this.table.table });
    // An hourly scan, as Entra's; a person who wants it sooner presses refresh.
    this.alertsJob = new ScheduledJob(this, 'AlertsJob', {
      table: this.table.table,
      entry: 'functions/jobs/alerts.ts',
      purpose: 'scans for PIM security alerts',
      rate: Duration.hours(1),
      timeout: Duration.minutes(15),
      // A tenant of 100,000 assignments is read whole: `npm run bench -- --alerts` measures its memory.
      memorySize: 1024,
    });
    // Weekly, but run hourly: a failed run (SES throttled, a deployment in the way) is made up an hour later,
    // and the week's item keeps every run after the first from sending again (shared/services/digest/).
    this.digestJob = new ScheduledJob(this, 'WeeklyDigestJob', {
      table: this.table.table,
      entry: 'functions/jobs/weekly-digest.ts',
      purpose: 'sends the weekly PIM digest to the administrators',
      rate: Duration.hours(1),
      timeout: Duration.minutes(5),
      environment: { [SETTING.mailFrom]: props.mailFrom, [SETTING.portalUrl]: portalUrl },
    });
    bg.allowSendingMail(this.digestJob.function);
    if (props.aws) {
      this.awsConnector = new AwsConnector(this, 'AwsConnector', { connection: props.aws });
      // The lifecycle grants and revokes; the API lists permission sets, maps users and reads the organization.
      this.awsConnector.attach(bg.functions.lifecycle, 'assign');
      this.awsConnector.attach(this.api.functions.roles, 'read');
      // Fixing an "assigned outside of PIM" incident deletes that AWS assignment.
      this.awsConnector.attach(this.api.functions.insights, 'assign');
      this.awsReconciler = new AwsReconciler(this, 'AwsReconciler', { table: this.table.table, connector: this.awsConnector });
    }
    this.alarms = new StintAlarms(this, 'Alarms', {
      stateMachine: bg.lifecycle.stateMachine,
      streamConsumers: [bg.functions.signals, bg.functions.notifications],
      sweeper: bg.functions.sweeper,
      reviewJob: this.reviewJob.function,
      apiFunctions: Object.values(this.api.functions),
      httpApi: this.api.httpApi,
      deadLetterQueues: [
        bg.streamFailures,
        bg.sweeperFailures,
        this.reviewJob.failures,
        this.alertsJob.failures,
        this.digestJob.failures,
        ...(this.awsReconciler ? [this.awsReconciler.failures] : []),
      ],
      alarmEmail: props.alarmEmail,
      awsAccess: props.aws !== undefined,
    });

    if (props.firstAdmin) new FirstAdministrator(this, 'FirstAdministrator', { table: this.table.table, ...props.firstAdmin });

    // Every function that may write an audit record writes it with the same retention.
    if (props.auditRetentionDays !== undefined) {
      for (const fn of this.node.findAll().filter((c): c is StintFunction => c instanceof StintFunction))
        fn.addEnvironment(SETTING.auditRetentionDays, String(props.auditRetentionDays));
    }
    // Only the audit routes export.
    if (props.exportChunkBytes !== undefined) this.api.functions.audit.addEnvironment(SETTING.exportChunkBytes, String(props.exportChunkBytes));

    new CfnOutput(this, 'PortalUrl', { value: portalUrl, description: 'The portal: sign in here (emails link here too)' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Graph-shaped API' });
    new CfnOutput(this, 'LifecycleStateMachine', {
      value: this.background.lifecycle.stateMachineArn,
      description: 'One execution per request, named by its id',
    });
    new CfnOutput(this, 'EventBusName', { value: this.background.eventBus.eventBusName, description: 'Domain events for integrations' });
    new CfnOutput(this, 'StreamFailureQueue', { value: this.background.streamFailures.queueUrl, description: 'Table changes the stream consumers gave up on' });
    new CfnOutput(this, 'AlarmTopic', { value: this.alarms.topic.topicArn, description: 'Subscribe to be told when an alarm fires' });
    if (this.userPool) {
      new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPool.userPoolId, description: 'The Cognito user pool people sign in to' });
      new CfnOutput(this, 'SignInUrl', { value: this.userPool.signInUrl, description: 'Hosted sign-in (OAuth endpoints below it)' });
      new CfnOutput(this, 'PortalClientId', {
        value: this.userPool.portalClient.userPoolClientId,
        description: 'App client for the portal (authorization code + PKCE)',
      });
      new CfnOutput(this, 'ScriptsClientId', {
        value: this.userPool.scriptsClient.userPoolClientId,
        description: 'App client for scripts (client credentials; secret in the console or describe-user-pool-client)',
      });
    }
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'The single DynamoDB table' });
  }

  /** config.json for this stack: one build of the portal, told where the API and the sign-in are. */
  private portalConfig(issuer: string, portalUrl: string, props: StintStackProps): DeployedPortalConfig {
    const common = { apiBaseUrl: this.api.url, authority: issuer, environmentName: this.stackName };
    if (this.userPool) {
      const clientId = this.userPool.portalClient.userPoolClientId;
      return {
        ...common,
        clientId,
        // The scopes the portal client may ask for; Cognito refuses others (offline_access among them:
        // it gives a refresh token to the code flow anyway).
        scope: 'openid email profile',
        // Cognito's logout is not RP-initiated logout: it wants client_id and logout_uri.
        endSessionEndpoint: `${this.userPool.signInUrl}/logout?client_id=${clientId}&logout_uri=${portalUrl}/`,
      };
    }
    return {
      ...common,
      clientId: props.portalClient?.clientId ?? PORTAL_CLIENT_NOT_CONFIGURED,
      scope: props.portalClient?.scope ?? 'openid profile offline_access',
    };
  }
}

/** What every stack of a stage gets: its tag, retention only once created, and the stage's permissions boundary on every role. */
export function applyStageDefaults(stack: Stack, props: StintStackProps): void {
  Tags.of(stack).add('stint:stage', props.stage ?? stack.stackName);
  Aspects.of(stack).add(new RetainOnceCreated());
  // Every role, the custom resources' included, when an SCP requires a boundary.
  if (props.permissionsBoundaryArn)
    PermissionsBoundary.of(stack).apply(ManagedPolicy.fromManagedPolicyArn(stack, 'PermissionsBoundary', props.permissionsBoundaryArn));
}

/** Placeholder for an external issuer's portal client (the stage schema requires `portalClientId` with oidc, so a synthesized stage never uses it). */
export const PORTAL_CLIENT_NOT_CONFIGURED = 'portal-client-not-configured';

/** Cognito's issuer host (discovery and keys); the pool id is the path. */
function cognitoIdpOrigin(region: string): string {
  return `https://cognito-idp.${region}.amazonaws.com`;
}
