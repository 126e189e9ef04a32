/**
 * The deployed portal: the one Vite build of web/ in a private S3 bucket, served by CloudFront through
 * origin access control, with the local server's security headers (web/security-headers.ts) as a
 * response headers policy, SPA routing by a CloudFront Function (portal-routing.ts), and a `config.json`
 * written at deploy time from this stack's values, so the same build serves every stack.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, CfnResource, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { StintLogs } from './stint-logs.ts';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { portalSecurityHeaders } from '../../web/security-headers.ts';
import { PORTAL_ROUTING_FUNCTION } from './portal-routing.ts';
import { REPO_ROOT } from './stint-function.ts';
import { responseHeadersFrom } from './response-headers.ts';

/** Where `npm run build:portal` leaves the build (web/vite.config.ts: base /portal/, outDir dist). */
export const PORTAL_DIST = join(REPO_ROOT, 'web', 'dist');
/** The app's base path; the bucket keeps it as a key prefix, so URLs and keys match one to one. */
export const PORTAL_PATH = '/portal';

/** What web/src/config.ts reads at start (values may be deploy-time tokens). */
export interface DeployedPortalConfig {
  readonly apiBaseUrl: string;
  readonly authority: string;
  readonly clientId: string;
  readonly scope: string;
  readonly endSessionEndpoint?: string;
  readonly environmentName?: string;
}

export interface PortalSiteProps {
  /**
   * Origins the page may call besides its own (CSP connect-src): the API and the sign-in issuer's. A
   * deploy-time value (a token) must already be an origin (scheme and host, no path).
   */
  readonly connectOrigins: string[];
  /** A name of your own for the portal, with its ACM certificate (in us-east-1, as CloudFront requires). */
  readonly domain?: { readonly name: string; readonly certificate: ICertificate };
}

export class PortalSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://{CloudFront or custom domain}, the origin the API's CORS allows. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: PortalSiteProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Kept by `cdk destroy` (CloudFormation cannot delete a bucket with files in it); it holds only the build.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the public static build of web/ (the files every visitor downloads), read solely by CloudFront through origin access control and written solely by the deployment; server access logs would record nothing but those reads.',
    });

    const routing = new CloudFrontFunction(this, 'SpaRouting', {
      // CloudFront functions are global to the account: the stage and region keep each stack's its own.
      functionName: `${Stack.of(this).stackName}-${Stack.of(this).region}-portal-routing`,
      code: FunctionCode.fromInline(PORTAL_ROUTING_FUNCTION),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Stint portal: page URLs under /portal/ get the app; files keep their path',
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Stint portal: strict CSP, HSTS, no framing (web/security-headers.ts)',
      ...responseHeadersFrom(withTokenOrigins(props.connectOrigins, portalSecurityHeaders)),
    });
    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const common = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      responseHeadersPolicy: headers,
      compress: true,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Stint portal',
      // index.html and config.json: never cached at the edge (both tiny), so a deploy shows at once.
      defaultBehavior: {
        ...common,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        functionAssociations: [{ function: routing, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      // Hashed file names: a new build has new names, so these are cached for good.
      additionalBehaviors: { [`${PORTAL_PATH}/assets/*`]: { ...common, cachePolicy: CachePolicy.CACHING_OPTIMIZED } },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // TLS 1.2+ on a name of your own; *.cloudfront.net's own certificate has a fixed policy (below).
      ...(props.domain
        ? { domainNames: [props.domain.name], certificate: props.domain.certificate, minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Serves only the static build (no data, no decisions); every action a person takes is an API call, which the API stage access log records with its caller.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Who may use Stint is decided by sign-in and roles, not by country; a deployment that wants geo restriction adds it here.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static files only, behind a CachingOptimized edge; the API (the part worth protecting) has its own throttling. A WAF web ACL costs $5+ a month and can be attached by the deployer.',
    });
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its own *.cloudfront.net certificate, whose security policy cannot be chosen; with one (portalDomain) the minimum is TLSv1.2_2021. Browsers negotiate TLS 1.2+ anyway.',
      });
    }
    this.origin = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;
  }

  /** The portal's address (the app's base path, no trailing slash). */
  get url(): string {
    return `${this.origin}${PORTAL_PATH}`;
  }

  /**
   * Uploads the build under portal/ and writes config.json next to it. Assets first (kept for a year,
   * never removed, so a tab still open on the previous build can load its chunks), then index.html and
   * config.json (revalidated on every load), so a new index.html never names an asset not yet there.
   */
  publish(config: DeployedPortalConfig): void {
    const index = join(PORTAL_DIST, 'index.html');
    if (!existsSync(index)) throw new Error(`The portal is not built (${index} is missing): run \`npm run build:portal\` before synthesizing.`);
    const logGroup = StintLogs.of(this).logGroup(this, 'DeploymentLogs', 'deployment', RemovalPolicy.DESTROY);
    // A role of its own: only its log group and (granted by BucketDeployment) this bucket.
    const role = new Role(this, 'DeploymentRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const target = { destinationBucket: this.bucket, destinationKeyPrefix: `${PORTAL_PATH.slice(1)}/`, prune: false, role, logGroup };
    const assets = new BucketDeployment(this, 'Assets', {
      ...target,
      sources: [Source.asset(PORTAL_DIST, { exclude: ['index.html', '.source-hash'] })],
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    const entry = new BucketDeployment(this, 'Entry', {
      ...target,
      sources: [Source.data('index.html', readFileSync(index, 'utf8')), Source.jsonData('config.json', config)],
      cacheControl: [CacheControl.noCache()],
    });
    entry.node.addDependency(assets);
    // CDK's copy function may run 15 minutes and reports its own failures; should it die without answering,
    // CloudFormation gives up after 20 minutes instead of its default hour.
    for (const deployment of [assets, entry]) {
      for (const resource of deployment.node
        .findAll()
        .filter((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType === 'Custom::CDKBucketDeployment'))
        resource.addPropertyOverride('ServiceTimeout', BUCKET_DEPLOYMENT_TIMEOUT.toSeconds());
    }
    acknowledgeDeployment(this, role);
  }
}

/** Longer than the copy function's own 15-minute limit, far shorter than CloudFormation's hour. */
const BUCKET_DEPLOYMENT_TIMEOUT = Duration.minutes(20);

/** BucketDeployment's own grants and function, reviewed once here. */
function acknowledgeDeployment(site: PortalSite, role: Role): void {
  const stack = Stack.of(site);
  const copy =
    'BucketDeployment copies the build from the CDK asset bucket into this bucket under keys known only at deploy time (grantRead/grantReadWrite action groups on those two buckets, nothing else).';
  for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'])
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: copy });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(site.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
    reason: copy,
  });
  const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${stack.account}-${stack.region}/*]`,
    reason: copy,
  });
  // The provider function is a stack-level singleton that CDK owns (Python, with the AWS CLI layer).
  for (const child of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment')))
    Validations.of(child).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "CDK's BucketDeployment provider: its runtime is chosen by aws-cdk-lib (moves with upgrades), and it runs only during deploys.",
    });
}

/**
 * Builds the headers with deploy-time origins in place: web/security-headers.ts parses URLs, which a
 * token is not, so each token goes in as a placeholder origin and comes back in the finished values.
 */
function withTokenOrigins(origins: string[], build: (connect: string[]) => Record<string, string>): Record<string, string> {
  const tokens = new Map<string, string>();
  const connect = origins.map((o, i) => {
    if (!Token.isUnresolved(o)) return o;
    const placeholder = `https://deploy-time-origin-${i}.invalid`;
    tokens.set(placeholder, o);
    return placeholder;
  });
  const headers = build(connect);
  for (const [name, value] of Object.entries(headers)) {
    let restored = value;
    for (const [placeholder, token] of tokens) restored = restored.split(placeholder).join(token);
    headers[name] = restored;
  }
  return headers;
}
