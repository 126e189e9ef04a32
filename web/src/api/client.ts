/**
 * The portal's only way to the API: bearer token from the session, Graph's errors as ApiError, paging
 * by `@odata.nextLink`. It never decides what a person may do; the API does, and says so.
 */
import type { Session } from '../auth/session.ts';
import { errorFrom, SignedOut } from './errors.ts';

export interface Collection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export class Api {
  /** GETs started ahead of the page that will ask for them (see prefetch). */
  private readonly early = new Map<string, Promise<unknown>>();

  constructor(
    readonly baseUrl: string,
    private readonly session: Session,
  ) {}

  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
  }

  async token(): Promise<string> {
    const user = await this.session.user();
    if (!user) throw new SignedOut(401, 'SignedOut', 'Your session has ended. Sign in again.');
    return user.access_token;
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(this.url(path), {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string): Promise<T> {
    const early = this.early.get(path);
    if (early) {
      this.early.delete(path);
      return early as Promise<T>;
    }
    return this.request<T>('GET', path);
  }

  /**
   * Starts a GET now that a page will make a moment later (the landing page's data while the portal is
   * still starting); the page's own `get` of the same path takes the answer once, later calls go to the API.
   */
  prefetch(path: string): void {
    if (this.early.has(path)) return;
    const pending = this.request('GET', path);
    pending.catch(() => undefined);
    this.early.set(path, pending);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** Every page of a collection; for lists a person sees whole (their own roles, requests). */
  async all<T>(path: string, limit = 5000): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next && items.length < limit) {
      const page: Collection<T> = await this.get<Collection<T>>(next);
      items.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return items;
  }

  /** A blob (a download) with the same authorization. */
  async blob(path: string, accept: string): Promise<Blob> {
    const response = await fetch(this.url(path), { headers: { authorization: `Bearer ${await this.token()}`, accept } });
    if (!response.ok) throw await errorFrom(response);
    return response.blob();
  }
}
