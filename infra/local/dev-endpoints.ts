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

export function discoveryDocument(issuer: DevIssuer) {
  return {
    issuer: issuer.issuer,
    jwks_uri: `${issuer.issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer.issuer}/local/token`,
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
  };
}
