/**
 * Endpoints that exist only in local mode: the dev issuer's token endpoint, JWKS and discovery
 * document. They play Cognito's part; the API routes never depend on them being here.
 */
import * as z from 'zod';
import { BadRequestError, NotFoundError } from '../../shared/domain/errors.ts';
import type { Services } from '../../shared/services/context.ts';
import { getUser } from '../../shared/services/directory/users.ts';
import { findServicePrincipalByAppId, getServicePrincipal } from '../../shared/services/directory/service-principals.ts';
import type { DevIssuer, TokenSubject } from './dev-issuer.ts';
import { SUPPORTED_SCOPES } from './oidc/authorize-request.ts';
import { OIDC_PATHS } from './oidc/paths.ts';

export const tokenRequestSchema = z.union([
  z.strictObject({
    user: z.string().min(1).max(256),
    mfa: z.boolean().optional(),
    authAgeSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400 * 30)
      .optional(),
  }),
  z.strictObject({ servicePrincipal: z.string().min(1).max(256) }),
]);

async function subjectFor(services: Services, request: z.infer<typeof tokenRequestSchema>): Promise<TokenSubject> {
  if ('user' in request) {
    const user = await getUser(services, request.user).catch(() => {
      throw new NotFoundError(`No user '${request.user}' in the directory. Use a seeded one such as admin@contoso.test, or create it with POST /v1.0/users.`);
    });
    return { kind: 'user', id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
  }
  const sp =
    (await findServicePrincipalByAppId(services, request.servicePrincipal)) ??
    (await getServicePrincipal(services, request.servicePrincipal).catch(() => undefined));
  if (!sp) throw new NotFoundError(`No service principal with appId or id '${request.servicePrincipal}'.`);
  return { kind: 'servicePrincipal', id: sp.id, displayName: sp.displayName, appId: sp.appId };
}

export async function issueToken(services: Services, issuer: DevIssuer, body: unknown) {
  const parsed = tokenRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new BadRequestError('Send {"user": "<userPrincipalName or id>", "mfa": true|false} or {"servicePrincipal": "<appId or id>"}.');
  }
  const subject = await subjectFor(services, parsed.data);
  const mfa = 'user' in parsed.data ? (parsed.data.mfa ?? false) : false;
  const authAgeSeconds = 'user' in parsed.data ? parsed.data.authAgeSeconds : undefined;
  return issuer.issue(subject, { mfa, authAgeSeconds });
}

/**
 * The token endpoint stays /local/token: a form-encoded body there is an OAuth grant, a JSON one the
 * shortcut (the email landing pages recognise the dev issuer by this path). No userinfo endpoint: the ID
 * token carries every claim listed, and the portal does not load user info.
 */
export function discoveryDocument(issuer: DevIssuer) {
  return {
    issuer: issuer.issuer,
    authorization_endpoint: `${issuer.issuer}${OIDC_PATHS.authorize}`,
    token_endpoint: `${issuer.issuer}${OIDC_PATHS.token}`,
    end_session_endpoint: `${issuer.issuer}${OIDC_PATHS.endSession}`,
    jwks_uri: `${issuer.issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...SUPPORTED_SCOPES],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'name', 'preferred_username'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
  };
}
