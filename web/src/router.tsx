/**
 * A small router over the History API: every page has its own URL under /portal/, pages load on first
 * visit (one chunk each), and links work with the keyboard and "open in new tab" as plain anchors.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

export const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export interface Location {
  /** The path inside the portal, e.g. '/my-roles'. */
  path: string;
  search: URLSearchParams;
}

function current(): Location {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) || '/' : '/';
  return { path, search: new URLSearchParams(window.location.search) };
}

const listeners = new Set<() => void>();

/** Goes to a portal path ('/my-roles?tab=active'); `replace` keeps the back button sensible for redirects. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = to.startsWith(BASE) ? to : `${BASE}${to}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function href(to: string): string {
  return `${BASE}${to}`;
}

const LocationContext = createContext<Location>(current());

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return <LocationContext.Provider value={location}>{children}</LocationContext.Provider>;
}

export function useLocation(): Location {
  return useContext(LocationContext);
}

/** Matches '/requests/:id' against a path; the params, or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const a = pattern.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  if (a.length !== b.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
    else if (a[i] !== b[i]) return undefined;
  }
  return params;
}

/** For Cloudscape's onFollow (it fires only for plain left clicks): navigate in place. */
export function follow(event: CustomEvent<{ href?: string; external?: boolean }>): void {
  const target = event.detail.href;
  if (!target || event.detail.external) return;
  event.preventDefault();
  navigate(target.startsWith(BASE) ? target.slice(BASE.length) : target);
}
