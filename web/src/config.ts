/**
 * What differs between stacks, read at start from `config.json` beside the bundle, so that one build
 * serves every deployment (the local stack writes its own; CDK writes the deployed one).
 */
export interface PortalConfig {
  /** Where the API lives; '' means the portal's own origin (the local stack). */
  apiBaseUrl: string;
  /** The OIDC issuer (Cognito user pool, Entra, Keycloak, or the local dev issuer). */
  authority: string;
  clientId: string;
  scope: string;
  /** Cognito's logout is not the standard end-session endpoint; when set, used in its place. */
  endSessionEndpoint?: string;
  /** Shown in the header, e.g. "Contoso (local)". */
  environmentName?: string;
}

export async function loadConfig(): Promise<PortalConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`The portal's settings (config.json) could not be read: HTTP ${response.status}.`);
  const config = (await response.json()) as PortalConfig;
  if (!config.authority || !config.clientId) throw new Error("The portal's settings (config.json) name no sign-in authority or client.");
  return { ...config, scope: config.scope || 'openid profile offline_access', apiBaseUrl: (config.apiBaseUrl ?? '').replace(/\/$/, '') };
}
