/** What every page needs: the API, the signed-in person, what they may manage, and the notifications. */
import { createContext, useContext } from 'react';
import type { Api } from './api/client.ts';
import type { Session } from './auth/session.ts';
import type { PortalConfig } from './config.ts';
import type { Capabilities } from './shell/capabilities.ts';
import type { Notify } from './shell/notifications.tsx';

export interface Me {
  id: string;
  displayName: string;
  userPrincipalName: string;
  /** From the token: whether this sign-in used MFA, and when it happened. */
  mfa: boolean;
  authTime?: number;
}

export interface AppContextValue {
  config: PortalConfig;
  session: Session;
  api: Api;
  me: Me;
  capabilities: Capabilities;
  notify: Notify;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the signed-in shell');
  return value;
}
