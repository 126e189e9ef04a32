/**
 * Sign-in with Authorization Code + PKCE (oidc-client-ts). Tokens live in sessionStorage, so closing the
 * tab ends the session; renewal uses the refresh token. A step-up sends the person through a fresh
 * sign-in with MFA and brings them back to where they were, with what they had typed (see resume.ts).
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { PortalConfig } from '../config.ts';

export interface ReturnState {
  /** The portal path to go back to after signing in. */
  returnTo: string;
}

export class Session {
  readonly manager: UserManager;

  constructor(config: PortalConfig) {
    const origin = window.location.origin;
    this.manager = new UserManager({
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: `${origin}${import.meta.env.BASE_URL}callback`,
      post_logout_redirect_uri: `${origin}${import.meta.env.BASE_URL}`,
      response_type: 'code',
      scope: config.scope,
      loadUserInfo: false,
      automaticSilentRenew: true,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      ...(config.endSessionEndpoint ? { metadataSeed: { end_session_endpoint: config.endSessionEndpoint } } : {}),
    });
  }

  async user(): Promise<User | null> {
    const user = await this.manager.getUser();
    if (user && !user.expired) return user;
    if (user?.refresh_token) {
      try {
        return await this.manager.signinSilent();
      } catch {
        await this.manager.removeUser();
      }
    }
    return null;
  }

  signIn(returnTo: string): Promise<void> {
    return this.manager.signinRedirect({ state: { returnTo } satisfies ReturnState });
  }

  /** A fresh sign-in with MFA: the API asked for it (401 insufficient_user_authentication). */
  stepUp(returnTo: string, maxAgeSeconds = 0): Promise<void> {
    return this.manager.signinRedirect({
      state: { returnTo } satisfies ReturnState,
      prompt: 'login',
      max_age: maxAgeSeconds,
      acr_values: 'mfa',
    });
  }

  /** Completes a sign-in on /callback and says where to go next. */
  async complete(): Promise<string> {
    const user = await this.manager.signinRedirectCallback();
    const state = user.state as ReturnState | undefined;
    return state?.returnTo && state.returnTo.startsWith(import.meta.env.BASE_URL) ? state.returnTo : import.meta.env.BASE_URL;
  }

  async signOut(): Promise<void> {
    const user = await this.manager.getUser();
    await this.manager.removeUser();
    await this.manager.signoutRedirect({ id_token_hint: user?.id_token });
  }
}
