/**
 * The HTTP API: a JWT authorizer in front of every route but the public ones, one Lambda per entry in
 * LAMBDAS, and routes generated from the contracts (gatewayRoutes()), so the deployed API, the local
 * gateway and the OpenAPI document serve the same paths.
 */
import { Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { gatewayRoutes } from '../../shared/http/gateway-routes.ts';
import { LAMBDAS, type LambdaName } from '../../shared/http/route.ts';
import { StintFunction } from './stint-function.ts';
import { SETTING } from '../../shared/settings.ts';

/** Who issues the access tokens the API accepts. */
export interface StintIdentity {
  /** The `iss` claim, exactly; API Gateway requires an https URL. */
  readonly issuer: string;
  /** The `aud` claim the tokens must carry (several separated by commas: the handlers accept any). */
  readonly audience: string;
  /** The audiences API Gateway accepts, one per entry. @default [audience] */
  readonly audiences?: string[];
  /** Where the Lambdas fetch the signing keys (they verify the token again, with the algorithm pinned). */
  readonly jwksUrl: string;
  /** Claims that carry the user principal name and the display name, in order of preference (comma-separated). */
  readonly upnClaims?: string;
  readonly nameClaims?: string;
  /** What the issuer is trusted for (shared/auth/token-verifier.ts IssuerTrust); each comma-separated. @default the verifier's: `sub`, none, none, false */
  readonly subjectClaim?: string;
  readonly authoritativeClaims?: string;
  readonly accessTokenClaims?: string;
  /** The issuer is the stack's own Cognito pool, whose trigger sets `stint_amr`. */
  readonly stackPool?: boolean;
}

export interface StintApiProps {
  readonly table: ITable;
  readonly identity: StintIdentity;
  /** @default 100 requests/s steady, 200 burst: a ceiling on cost and abuse far above a tenant's use. */
  readonly throttle?: ThrottleSettings;
}

/** The tag that names which Lambda of LAMBDAS a function is (also handy in the cost explorer). */
export const FUNCTION_TAG = 'stint:function';

export class StintApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<LambdaName, StintFunction>;

  constructor(scope: Construct, id: string, props: StintApiProps) {
    super(scope, id);
    const { issuer, audience, jwksUrl, audiences = [audience] } = props.identity;
    if (!Token.isUnresolved(issuer) && !issuer.startsWith('https://')) {
      throw new Error(`The JWT issuer must be an https URL (API Gateway fetches its discovery document); got "${issuer}".`);
    }

    // Signs the opaque paging tokens so clients cannot forge a raw LastEvaluatedKey. Passing it as an
    // environment variable is a known trade-off: CloudFormation resolves the dynamic reference at deploy,
    // so the value never appears in the template or cdk.out, but anyone allowed lambda:GetFunction can read
    // it, and a rotation only takes effect on the next deploy. It guards paging tokens, not access; a later
    // hardening reads it from Secrets Manager at cold start instead. Losing it only voids open page links.
    const pageTokenSecret = new Secret(this, 'PageTokenSecret', {
      description: 'Stint: HMAC key for opaque paging tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(pageTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An HMAC key for paging tokens, not a credential: rotating it only voids open page links, and takes effect at the next deploy (see above). Rotate by redeploying after changing it.',
    });

    const environment = {
      [SETTING.jwtIssuer]: issuer,
      [SETTING.jwtAudience]: audience,
      [SETTING.jwksUrl]: jwksUrl,
      ...(props.identity.upnClaims ? { [SETTING.claimUpn]: props.identity.upnClaims } : {}),
      ...(props.identity.nameClaims ? { [SETTING.claimName]: props.identity.nameClaims } : {}),
      ...(props.identity.subjectClaim ? { [SETTING.subjectClaim]: props.identity.subjectClaim } : {}),
      ...(props.identity.authoritativeClaims ? { [SETTING.authoritativeClaims]: props.identity.authoritativeClaims } : {}),
      ...(props.identity.accessTokenClaims ? { [SETTING.accessTokenClaims]: props.identity.accessTokenClaims } : {}),
      ...(props.identity.stackPool ? { [SETTING.issuerIsStackPool]: 'true' } : {}),
      [SETTING.pageTokenSecret]: pageTokenSecret.secretValue.unsafeUnwrap(),
    };
    const functions = {} as Record<LambdaName, StintFunction>;
    for (const name of LAMBDAS) {
      const fn = new StintFunction(this, `${name}Function`, {
        entry: `functions/api/${name}.ts`,
        description: `Stint API: ${name}`,
        environment,
      });
      // The public routes (health, the API description, the email-link pages) read and write nothing.
      fn.bindTable(props.table, name === 'meta' ? 'none' : 'readWrite');
      Tags.of(fn).add(FUNCTION_TAG, name);
      functions[name] = fn;
    }
    this.functions = functions;

    // Secure by default: a route added without thought gets the authorizer; public ones opt out below.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Stint: Privileged Identity Management, Microsoft Graph-shaped',
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer('JwtAuthorizer', issuer, { jwtAudience: audiences }),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // One JSON object per request: queryable in Logs Insights, and the requestId joins it to the
        // Lambda's own logs. No headers or bodies: they carry tokens and personal data.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            ip: AccessLogField.contextIdentitySourceIp(),
            requestTime: AccessLogField.contextRequestTime(),
            routeKey: AccessLogField.contextRouteKey(),
            status: AccessLogField.contextStatus(),
            latency: AccessLogField.contextResponseLatency(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            authorizerError: AccessLogField.contextAuthorizerError(),
            integrationError: AccessLogField.contextIntegrationErrorMessage(),
          }),
        ),
      },
    });

    const integrations = new Map<LambdaName, HttpLambdaIntegration>();
    const integrationFor = (name: LambdaName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) integrations.set(name, (integration = new HttpLambdaIntegration(`${name}Integration`, functions[name])));
      return integration;
    };
    for (const route of gatewayRoutes()) {
      const integration = integrationFor(route.lambda);
      for (const key of route.routeKeys) {
        const [method, path] = key.split(' ') as [keyof typeof HttpMethod, string];
        // Public routes (health, the API description, the email-link pages) are exact GETs without a token.
        const added = this.httpApi.addRoutes({
          path,
          methods: [HttpMethod[method]],
          integration,
          ...(route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
        });
        if (route.public) {
          for (const r of added) {
            Validations.of(r).acknowledge({
              id: 'AwsSolutions-APIG4',
              reason: `${key} is public by design (docs/architecture.md §4): health, the API description, and the email-link pages, which read nothing and change nothing.`,
            });
          }
        }
      }
    }
  }

  /** The base URL clients use (the $default stage serves at the root of the endpoint). */
  get url(): string {
    return this.stage.url;
  }
}
