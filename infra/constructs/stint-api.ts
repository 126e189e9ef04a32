/**
 * The HTTP API: a JWT authorizer in front of every route but the public ones, one Lambda per entry in
 * LAMBDAS, and routes generated from the contracts (gatewayRoutes()), so the deployed API, the local
 * gateway and the OpenAPI document serve the same paths.
 */
import { Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { gatewayRoutes } from '../../shared/http/gateway-routes.ts';
import { LAMBDAS, type LambdaName } from '../../shared/http/route.ts';
import { StintFunction } from './stint-function.ts';
import { StintLogs } from './stint-logs.ts';
import { readSetting, SETTING } from '../../shared/settings.ts';

/** Who issues the access tokens the API accepts. */
export interface StintIdentity {
  /** The `iss` claim, exactly; API Gateway requires an https URL. */
  readonly issuer: string;
  /** The `aud` claim the tokens must carry (several separated by commas: the handlers accept any). */
  readonly audience: string;
  /** The audiences API Gateway accepts, one per entry. @default [audience] */
  readonly audiences?: string[];
  /**
   * Where the Lambdas fetch the signing keys (they verify the token again, with the algorithm pinned).
   * @default the `jwks_uri` of `{issuer}/.well-known/openid-configuration`, read at run time, as API Gateway does
   */
  readonly jwksUrl?: string;
  /** Claims that carry the user principal name and the display name, in order of preference (comma-separated). */
  readonly upnClaims?: string;
  readonly nameClaims?: string;
  /** What the issuer is trusted for (shared/auth/token-verifier.ts IssuerTrust); each comma-separated. @default the verifier's: `sub`, none, none, false */
  readonly subjectClaim?: string;
  readonly authoritativeClaims?: string;
  readonly accessTokenClaims?: string;
  /** Claims only people's access tokens carry; a token with none is an app's (Entra: `scp`). Comma-separated. */
  readonly personClaims?: string;
  /** What shows MFA, as `claim=value` entries, comma-separated (Entra v2: `acrs=c1`). @default `amr=mfa` */
  readonly mfaClaims?: string;
  /** The claim with the sign-in time, when not `auth_time` (Auth0: a namespaced claim set by an Action). */
  readonly authTimeClaim?: string;
  /** The issuer is the stack's own Cognito pool, whose trigger sets `stint_amr`. */
  readonly stackPool?: boolean;
}

export interface StintApiProps {
  readonly table: ITable;
  readonly identity: StintIdentity;
  /** @default 100 requests/s steady, 200 burst: a ceiling on cost and abuse far above a tenant's use. */
  readonly throttle?: ThrottleSettings;
  /** A name of your own for the API, with its ACM certificate in the stack's region. */
  readonly domain?: { readonly name: string; readonly certificate: ICertificate };
  /**
   * Turn off the default `{id}.execute-api.{region}.amazonaws.com` endpoint, so the API answers only at
   * `domain` (where, for example, a WAF or a resource policy in front of the name cannot be bypassed).
   * Needs `domain`. @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
}

/** The one function that serves the public routes (the tests check every public route is its, and only those). */
export const PUBLIC_LAMBDA: LambdaName = 'meta';

/** The tag that names which Lambda of LAMBDAS a function is (also handy in the cost explorer). */
export const FUNCTION_TAG = 'stint:function';

export class StintApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<LambdaName, StintFunction>;
  /** Set when the API has a name of its own. */
  readonly domainName?: DomainName;

  constructor(scope: Construct, id: string, props: StintApiProps) {
    super(scope, id);
    if (props.disableExecuteApiEndpoint && !props.domain) {
      throw new Error('disableExecuteApiEndpoint needs a domain of your own for the API: without one, nothing could reach it.');
    }
    const { issuer, audience, jwksUrl, audiences = [audience] } = props.identity;
    if (!Token.isUnresolved(issuer) && !issuer.startsWith('https://')) {
      throw new Error(`The JWT issuer must be an https URL (API Gateway fetches its discovery document); got "${issuer}".`);
    }

    // Signs the opaque paging tokens so clients cannot forge a raw LastEvaluatedKey. Its ARN, not its
    // value, is in the functions' environment: they read it at run time through the Parameters and
    // Secrets extension and cache it five minutes (shared/runtime.ts), so a rotation needs no deploy.
    // Losing or rotating it only voids open page links.
    const pageTokenSecret = new Secret(this, 'PageTokenSecret', {
      description: 'Stint: HMAC key for opaque paging tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(pageTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An HMAC key for paging tokens, not a credential: rotating it only voids open page links, so it is rotated by hand (put-secret-value), not by a rotation Lambda; functions see the new value within ten minutes (docs/security.md).',
    });

    // Checked as the functions will read it, so a malformed entry fails the synth, not every sign-in.
    if (props.identity.mfaClaims) readSetting(SETTING.mfaClaims, props.identity.mfaClaims);

    const environment = {
      [SETTING.jwtIssuer]: issuer,
      [SETTING.jwtAudience]: audience,
      ...(jwksUrl ? { [SETTING.jwksUrl]: jwksUrl } : {}),
      ...(props.identity.upnClaims ? { [SETTING.claimUpn]: props.identity.upnClaims } : {}),
      ...(props.identity.nameClaims ? { [SETTING.claimName]: props.identity.nameClaims } : {}),
      ...(props.identity.subjectClaim ? { [SETTING.subjectClaim]: props.identity.subjectClaim } : {}),
      ...(props.identity.authoritativeClaims ? { [SETTING.authoritativeClaims]: props.identity.authoritativeClaims } : {}),
      ...(props.identity.accessTokenClaims ? { [SETTING.accessTokenClaims]: props.identity.accessTokenClaims } : {}),
      ...(props.identity.personClaims ? { [SETTING.personClaims]: props.identity.personClaims } : {}),
      ...(props.identity.mfaClaims ? { [SETTING.mfaClaims]: props.identity.mfaClaims } : {}),
      ...(props.identity.authTimeClaim ? { [SETTING.authTimeClaim]: props.identity.authTimeClaim } : {}),
      ...(props.identity.stackPool ? { [SETTING.issuerIsStackPool]: 'true' } : {}),
    };
    const functions = {} as Record<LambdaName, StintFunction>;
    for (const name of LAMBDAS) {
      // The public routes (health, the API description; email links land in the portal, a site of its
      // own) read and write nothing: their function is given neither the table nor the paging key.
      const isPublic = name === PUBLIC_LAMBDA;
      const fn = new StintFunction(this, `${name}Function`, {
        entry: `functions/api/${name}.ts`,
        description: `Stint API: ${name}`,
        environment,
        readsSecrets: !isPublic,
      });
      fn.bindTable(props.table, isPublic ? 'none' : 'readWrite');
      if (!isPublic) fn.bindSecret(pageTokenSecret, SETTING.pageTokenSecretId);
      Tags.of(fn).add(FUNCTION_TAG, name);
      functions[name] = fn;
    }
    this.functions = functions;

    // Secure by default: a route added without thought gets the authorizer; public ones opt out below.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Stint: Privileged Identity Management, Microsoft Graph-shaped',
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ?? false,
      defaultAuthorizer: new HttpJwtAuthorizer('JwtAuthorizer', issuer, { jwtAudience: audiences }),
    });

    const accessLogs = StintLogs.of(this).logGroup(this, 'AccessLogs', 'access');
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

    if (props.domain) {
      this.domainName = new DomainName(this, 'DomainName', { domainName: props.domain.name, certificate: props.domain.certificate });
      new ApiMapping(this, 'DomainMapping', { api: this.httpApi, domainName: this.domainName, stage: this.stage });
    }

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

  /** The base URL clients use: the API's own name if it has one, else its execute-api endpoint ($default stage, at the root). */
  get url(): string {
    return this.domainName ? `https://${this.domainName.name}/` : this.stage.url;
  }

  /** Where browsers reach the API (the portal's CSP and CORS name it). */
  get origin(): string {
    return this.domainName ? `https://${this.domainName.name}` : this.httpApi.apiEndpoint;
  }
}
