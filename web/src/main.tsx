/**
 * Start-up: read config.json, finish or start the sign-in, learn who this is and what they may manage,
 * then show the portal. Any failure here is shown as a page with a way forward, never a blank screen.
 */
import '@cloudscape-design/global-styles/index.css';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Spinner from '@cloudscape-design/components/spinner';
import { createRoot } from 'react-dom/client';
import { Api } from './api/client.ts';
import type { Me } from './app-context.tsx';
import { Session } from './auth/session.ts';
import { loadConfig } from './config.ts';
import { BASE, matchPath, navigate, RouterProvider } from './router.tsx';
import { PRELOAD } from './pages/index.ts';
import { MY_ROLES_FIRST_CALLS } from './pages/my-roles/data.ts';
import { AppShell } from './shell/app-shell.tsx';
import { NONE } from './shell/capabilities.ts';
import { applyTheme, initialTheme } from './shell/theme.ts';

const root = createRoot(document.getElementById('root')!);

function Message({ title, children, action }: { title: string; children: React.ReactNode; action?: React.ReactNode }) {
  return (
    <main style={{ maxWidth: 640, margin: '10vh auto', padding: 16 }}>
      <Alert type="error" header={title} action={action}>
        {children}
      </Alert>
    </main>
  );
}

function claims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function start(): Promise<void> {
  applyTheme(initialTheme());
  root.render(
    <Box textAlign="center" padding="xxl">
      <Spinner size="large" /> Signing in…
    </Box>,
  );
  const landing = window.location.pathname.slice(BASE.length) || '/';
  void PRELOAD.find(([pattern]) => matchPath(pattern, landing))?.[1]().catch(() => undefined);
  const config = await loadConfig();
  const session = new Session(config);
  const here = window.location.pathname.slice(BASE.length) || '/';
  if (here === '/callback') {
    const returnTo = await session.complete();
    window.history.replaceState(null, '', returnTo);
  }
  const user = await session.user();
  if (!user) {
    const target = window.location.pathname.startsWith(BASE) ? window.location.pathname + window.location.search : BASE + '/';
    await session.signIn(target);
    return;
  }
  const api = new Api(config.apiBaseUrl, session);
  // The home page's data is asked for beside "who am I", not after the page has loaded.
  if ((landing === '/' || landing === '/my-roles') && new URLSearchParams(window.location.search).get('tab') !== 'groups')
    MY_ROLES_FIRST_CALLS.forEach((path) => api.prefetch(path));
  const profile = await api.get<{ id: string; displayName: string; userPrincipalName: string }>('/v1.0/me?$select=id,displayName,userPrincipalName');
  const token = claims(user.access_token);
  const amr = Array.isArray(token.amr) ? (token.amr as string[]) : [];
  const me: Me = { ...profile, mfa: amr.includes('mfa'), authTime: typeof token.auth_time === 'number' ? token.auth_time : undefined };
  // What the person may manage is asked for beside the first page, not before it: the navigation grows when it is known.
  root.render(
    <RouterProvider>
      <AppShell config={config} session={session} api={api} me={me} capabilities={NONE} />
    </RouterProvider>,
  );
  if ((window.location.pathname.slice(BASE.length) || '/') === '/') navigate('/my-roles', { replace: true });
}

start().catch((error: Error) => {
  root.render(
    <Message title="Stint could not start" action={<Button onClick={() => window.location.assign(`${BASE}/`)}>Try again</Button>}>
      {error.message}
    </Message>,
  );
});
