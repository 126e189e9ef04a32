/** Where the local OpenID Provider answers. Under /local/ like every local-only endpoint; the API never routes there. */
export const OIDC_PATHS = { authorize: '/local/authorize', token: '/local/token', endSession: '/local/logout' } as const;
