/** The signed-in frame: top bar (who, theme, sign out), navigation, notifications, and the page. */
import AppLayout from '@cloudscape-design/components/app-layout';
import Spinner from '@cloudscape-design/components/spinner';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { AppContext, type AppContextValue } from '../app-context.tsx';
import { ErrorBoundary } from '../components/error-boundary.tsx';
import { Empty } from '../components/page-states.tsx';
import { PAGES } from '../pages/index.ts';
import { href, matchPath, navigate, useLocation } from '../router.tsx';
import { loadCapabilities, type Capabilities } from './capabilities.ts';
import { Navigation } from './navigation.tsx';
import { Notifications, useNotifications } from './notifications.tsx';
import { applyTheme, initialTheme, type Theme } from './theme.ts';

type Base = Omit<AppContextValue, 'notify' | 'capabilities'> & { capabilities: Capabilities };

export function AppShell(props: Base) {
  const location = useLocation();
  const { items, notify } = useNotifications();
  const [capabilities, setCapabilities] = useState(props.capabilities);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [navigationOpen, setNavigationOpen] = useState(true);

  // Live, never cached: checked at start and again whenever the person comes back to the tab.
  useEffect(() => {
    const refresh = () =>
      loadCapabilities(props.api, props.me.id).then(setCapabilities, () => {
        /* keep what we had; the API still refuses what is not allowed */
      });
    void refresh();
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [props.api, props.me.id]);

  useEffect(() => applyTheme(theme), [theme]);

  const context = useMemo<AppContextValue>(() => ({ ...props, capabilities, notify }), [props, capabilities, notify]);
  const match = PAGES.map((page) => ({ page, params: matchPath(page.path, location.path) })).find((m) => m.params);

  useEffect(() => {
    if (location.path === '/' || location.path === '') navigate('/my-roles', { replace: true });
  }, [location.path]);

  useEffect(() => {
    document.title = match ? `${match.page.title} · Stint` : 'Stint';
  }, [match]);

  const Page = match?.page.component;
  return (
    <AppContext.Provider value={context}>
      <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{
            href: href('/my-roles'),
            title: `Stint${props.config.environmentName ? ` · ${props.config.environmentName}` : ''}`,
            onFollow: (e) => {
              e.preventDefault();
              navigate('/my-roles');
            },
          }}
          utilities={[
            {
              type: 'button',
              text: theme === 'dark' ? 'Light mode' : 'Dark mode',
              iconName: theme === 'dark' ? 'star' : 'star-filled',
              ariaLabel: theme === 'dark' ? 'Switch to light mode' : 'Switch to dark mode',
              onClick: () => {
                const next = theme === 'dark' ? 'light' : 'dark';
                applyTheme(next, true);
                setTheme(next);
              },
            },
            {
              type: 'menu-dropdown',
              text: props.me.displayName,
              description: `${props.me.userPrincipalName}${props.me.mfa ? ' · signed in with MFA' : ''}`,
              iconName: 'user-profile',
              items: [{ id: 'signout', text: 'Sign out' }],
              onItemClick: (e) => {
                if (e.detail.id === 'signout') void props.session.signOut();
              },
            },
          ]}
          i18nStrings={{ overflowMenuTriggerText: 'More', overflowMenuTitleText: 'All' }}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        navigationOpen={navigationOpen}
        onNavigationChange={(e) => setNavigationOpen(e.detail.open)}
        navigation={<Navigation capabilities={capabilities} activeHref={href(match?.page.path.includes(':') ? location.path : location.path)} />}
        notifications={<Notifications items={items} />}
        toolsHide
        ariaLabels={{ navigation: 'Navigation', navigationClose: 'Close navigation', navigationToggle: 'Open navigation', notifications: 'Notifications' }}
        content={
          <ErrorBoundary resetKey={location.path}>
            <Suspense fallback={<Spinner size="large" />}>
              {Page && match ? (
                <Page params={match.params!} />
              ) : location.path === '/' ? (
                <Spinner />
              ) : (
                <Empty title="Page not found">There is no page at {location.path}.</Empty>
              )}
            </Suspense>
          </ErrorBoundary>
        }
      />
    </AppContext.Provider>
  );
}
