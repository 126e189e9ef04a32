/**
 * Turns the portal's security headers (web/security-headers.ts, the one definition) into a CloudFront
 * response headers policy. CloudFront takes the security headers only in their typed form (a custom
 * header by one of those names is refused), so each is mapped; any other header becomes a custom one.
 */
import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  type ResponseCustomHeader,
  type ResponseHeadersPolicyProps,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';

/** Headers override whatever the origin sent: S3 sends none of these, and nothing else may weaken them. */
const override = true;

export function responseHeadersFrom(headers: Record<string, string>): Pick<ResponseHeadersPolicyProps, 'securityHeadersBehavior' | 'customHeadersBehavior'> {
  const security: { -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K] } = {};
  const custom: ResponseCustomHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    switch (name.toLowerCase()) {
      case 'content-security-policy':
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override };
        break;
      case 'strict-transport-security':
        security.strictTransportSecurity = {
          accessControlMaxAge: Duration.seconds(Number(/max-age=(\d+)/i.exec(value)?.[1] ?? 0)),
          includeSubdomains: /includeSubDomains/i.test(value),
          preload: /preload/i.test(value),
          override,
        };
        break;
      case 'x-frame-options':
        security.frameOptions = { frameOption: value.toUpperCase() === 'DENY' ? HeadersFrameOption.DENY : HeadersFrameOption.SAMEORIGIN, override };
        break;
      case 'x-content-type-options':
        if (value !== 'nosniff') throw new Error(`CloudFront sets X-Content-Type-Options only to nosniff; got "${value}".`);
        security.contentTypeOptions = { override };
        break;
      case 'referrer-policy':
        if (!(Object.values(HeadersReferrerPolicy) as string[]).includes(value)) throw new Error(`CloudFront has no referrer policy "${value}".`);
        security.referrerPolicy = { referrerPolicy: value as HeadersReferrerPolicy, override };
        break;
      case 'x-xss-protection':
        throw new Error('X-XSS-Protection is not mapped: add it here before sending it.');
      default:
        custom.push({ header: name, value, override });
    }
  }
  return { securityHeadersBehavior: security, ...(custom.length ? { customHeadersBehavior: { customHeaders: custom } } : {}) };
}
