/** The state of the local OpenID Provider: one per stack, shared by its HTTP and HTTPS listeners. */
import type { Services } from '../../../shared/services/context.ts';
import { getUser } from '../../../shared/services/directory/users.ts';
import type { User } from '../../../shared/contracts/directory.ts';
import type { DevIssuer } from '../dev-issuer.ts';
import { AuthorizationCodes, PendingRequests } from './codes.ts';
import { RefreshTokens } from './refresh-tokens.ts';
import { SignInSessions } from './sessions.ts';

export interface LocalOidc {
  issuer: DevIssuer;
  services: Services;
  sessions: SignInSessions;
  pending: PendingRequests;
  codes: AuthorizationCodes;
  refreshTokens: RefreshTokens;
}

export function createLocalOidc(issuer: DevIssuer, services: Services): LocalOidc {
  const clock = issuer.clock;
  return {
    issuer,
    services,
    sessions: new SignInSessions(clock),
    pending: new PendingRequests(clock),
    codes: new AuthorizationCodes(clock),
    refreshTokens: new RefreshTokens(clock),
  };
}

/** The user if they may sign in now: present in the directory and enabled. */
export async function enabledUser(oidc: LocalOidc, userId: string): Promise<User | undefined> {
  const user = await getUser(oidc.services, userId).catch(() => undefined);
  return user?.accountEnabled ? user : undefined;
}
