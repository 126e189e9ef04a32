/** Who is making a request, as established from a verified token (never from the request body). */
export interface Caller {
  kind: 'user' | 'servicePrincipal';
  id: string;
  userPrincipalName?: string;
  displayName?: string;
  appId?: string;
  /** Authentication methods from the token (`amr`), e.g. ['pwd', 'mfa']. */
  authMethods: string[];
  /** When the caller last authenticated (epoch seconds), for MFA freshness. */
  authTime?: number;
  ipAddress?: string;
}

/** The identity the platform itself acts as (workflows, sweeper, seeding). */
export const SYSTEM_CALLER: Caller = {
  kind: 'servicePrincipal',
  id: 'system',
  displayName: 'Stint',
  appId: 'stint',
  authMethods: [],
};
