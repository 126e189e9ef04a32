/**
 * CORS on the HTTP API for exactly the portal's origin. It is set by a custom resource after both exist,
 * not in the API's own properties, because the two depend on each other: the portal's CSP must name the
 * API's origin (the distribution needs the API) and the API's CORS must name the portal's CloudFront
 * address (known only once the distribution exists). One of the two has to be written afterwards, and
 * this is the smaller one. API Gateway then answers preflights itself (before the JWT authorizer) and adds
 * the headers to every response, its own 401s included.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { StintLogs } from './stint-logs.ts';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CUSTOM_RESOURCE_TIMEOUT } from './first-administrator.ts';

/** What the portal sends and must read (web/src/api/client.ts, errors.ts). */
export const PORTAL_CORS = {
  AllowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
  AllowHeaders: ['authorization', 'content-type'],
  // The step-up challenge (RFC 9470) is in WWW-Authenticate, which a browser hides unless exposed.
  ExposeHeaders: ['www-authenticate'],
  // A preflight per path and method, remembered for an hour (browsers cap it at 2 h, Chromium).
  MaxAge: 3600,
} as const;

export interface PortalCorsProps {
  readonly httpApi: IHttpApi;
  /** The portal's origin (https://host, no path). */
  readonly origin: string;
}

export class PortalCors extends Construct {
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: PortalCorsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const apiArn = `arn:${stack.partition}:apigateway:${stack.region}::/apis/${props.httpApi.apiId}`;
    const cors = { ApiId: props.httpApi.apiId, CorsConfiguration: { AllowOrigins: [props.origin], ...PORTAL_CORS } };
    const logGroup = StintLogs.of(this).logGroup(this, 'Logs', 'deployment', RemovalPolicy.DESTROY);
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.resource = new AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::StintPortalCors',
      onCreate: { service: 'ApiGatewayV2', action: 'UpdateApi', parameters: cors, physicalResourceId: PhysicalResourceId.of(`${props.httpApi.apiId}-cors`) },
      onUpdate: { service: 'ApiGatewayV2', action: 'UpdateApi', parameters: cors, physicalResourceId: PhysicalResourceId.of(`${props.httpApi.apiId}-cors`) },
      onDelete: {
        service: 'ApiGatewayV2',
        action: 'DeleteCorsConfiguration',
        parameters: { ApiId: props.httpApi.apiId },
        ignoreErrorCodesMatching: 'NotFoundException',
      },
      // UpdateApi is PATCH on the API; DeleteCorsConfiguration is DELETE on its /cors.
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['apigateway:PATCH'], resources: [apiArn] }),
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [`${apiArn}/cors`] }),
      ]),
      role,
      logGroup,
      installLatestAwsSdk: false,
      // CDK's provider reports its own failures; this bounds a crash or a hung call to minutes, not an hour.
      serviceTimeout: CUSTOM_RESOURCE_TIMEOUT,
    });
  }
}
