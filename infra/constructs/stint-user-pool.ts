/**
 * The identity option that needs no provider of your own (`"identity": "cognito"` in the stage file):
 * a Cognito user pool where every sign-in takes a password and a TOTP code, nobody signs
 * themselves up, hosted sign-in on a Cognito domain, an app client for the portal (authorization code +
 * PKCE, public) and one for scripts (client credentials, with a secret), and a pre-token-generation
 * trigger that makes its access tokens name the person and their MFA the way the API reads tokens.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolOperation,
  type UserPoolProps,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { StintIdentity } from './stint-api.ts';
import { StintFunction } from './stint-function.ts';
import { SETTING } from '../../shared/settings.ts';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';

export interface StintUserPoolProps {
  /** The hosted sign-in's domain: https://{prefix}.auth.{region}.amazoncognito.com (unique in the region). */
  readonly domainPrefix: string;
  /** Where the portal's sign-in returns to (authorization code); more may be added for other front ends. */
  readonly callbackUrls: string[];
  /** Where sign-out returns to. */
  readonly logoutUrls: string[];
  /** The single table: the trigger adds people to the directory at their first sign-in. */
  readonly table: ITable;
}

/** The resource server and scope that script tokens (client credentials) carry. */
export const API_RESOURCE_SERVER = 'stint';
export const API_SCOPE = 'api';

/** The pool itself, as the stack creates it and as `importRetained` re-creates it for `cdk import` (same path, same logical id). */
function userPoolProps(): UserPoolProps {
  return {
    // People are added by an administrator (AWS CLI or console), never by themselves: a PIM's users are staff.
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    autoVerify: { email: true },
    // A changed address is not used until verified; the trigger only passes on verified ones.
    keepOriginal: { email: true },
    mfa: Mfa.REQUIRED,
    // TOTP only: SMS codes can be intercepted or SIM-swapped, and need an SNS role and spend limits.
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: 14,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    // Plus: threat protection (compromised-credential checks, adaptive risk responses) enforced, and
    // the feature plan that allows access-token customization (V2_0 trigger events).
    featurePlan: FeaturePlan.PLUS,
    standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
    // No deviceTracking: a remembered device may skip MFA, which would make the trigger's MFA claim untrue.
    // The pool holds every person's sign-in and TOTP secret: losing it locks everyone out.
    deletionProtection: true,
    // Kept once created; a failed first create takes it away again (docs/deploy.md §10).
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  };
}

export class StintUserPool extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly portalClient: UserPoolClient;
  readonly scriptsClient: UserPoolClient;
  readonly preTokenFunction: StintFunction;
  /** What the API's authorizer and the handlers' verifier check tokens against. */
  readonly identity: StintIdentity;

  constructor(scope: Construct, id: string, props: StintUserPoolProps) {
    super(scope, id);
    this.userPool = StintUserPool.pool(this);

    this.preTokenFunction = new StintFunction(this, 'PreTokenFunction', {
      entry: 'functions/identity/pre-token.ts',
      description: 'Stint: puts the verified email and the MFA used in Cognito access tokens, adds people to the directory',
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: { [SETTING.poolMfa]: 'required' },
    });
    this.preTokenFunction.bindTable(props.table, 'readWrite');
    // V2_0: V1_0 events can only change ID tokens, and the API reads access tokens.
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.preTokenFunction, LambdaVersion.V2_0);

    // Managed login (not the classic hosted UI): it walks a new person through TOTP enrolment.
    this.domain = this.userPool.addDomain('HostedSignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    const apiScope = new ResourceServerScope({ scopeName: API_SCOPE, scopeDescription: 'Call the Stint API as this app' });
    const resourceServer = this.userPool.addResourceServer('Api', {
      identifier: API_RESOURCE_SERVER,
      userPoolResourceServerName: 'Stint API',
      scopes: [apiScope],
    });
    const sessionSettings = {
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    };

    this.portalClient = this.userPool.addClient('PortalClient', {
      userPoolClientName: 'stint-portal',
      // A browser app cannot keep a secret; PKCE protects its authorization code instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      // A person cannot change their own email through this client: it names them in Stint.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      refreshTokenValidity: Duration.hours(12),
      ...sessionSettings,
    });

    // Managed login shows a client's pages only once it has a style; Cognito's own is enough.
    new CfnManagedLoginBranding(this, 'PortalSignInStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.portalClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.scriptsClient = this.userPool.addClient('ScriptsClient', {
      userPoolClientName: 'stint-scripts',
      generateSecret: true,
      authFlows: {},
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: { flows: { clientCredentials: true }, scopes: [OAuthScope.resourceServer(resourceServer, apiScope)] },
      ...sessionSettings,
    });

    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.identity = {
      issuer,
      // Cognito access tokens carry the app client's id as client_id (no aud); API Gateway and the
      // verifier both accept that as the audience.
      audience: `${this.portalClient.userPoolClientId},${this.scriptsClient.userPoolClientId}`,
      audiences: [this.portalClient.userPoolClientId, this.scriptsClient.userPoolClientId],
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      // The pre-token trigger sets `upn` from a verified address only, and `stint_amr` from the sign-in.
      authoritativeClaims: 'upn',
      stackPool: true,
    };
  }

  /** The pool alone, at `<scope>/UserPool`: what a teardown keeps, for `cdk import` into a new stack. */
  static pool(scope: Construct): UserPool {
    return new UserPool(scope, 'UserPool', userPoolProps());
  }

  /** Where people sign in (the hosted UI's base URL; /oauth2/authorize, /oauth2/token below it). */
  get signInUrl(): string {
    return this.domain.baseUrl();
  }
}
