/**
 * Short-lived one-use tickets: the authorization requests waiting on the sign-in page, and the codes
 * handed to the client's redirect URI. Both live in memory and expire on the stack's clock.
 */
import type { Clock } from '../../../shared/domain/clock.ts';
import { epochSeconds, randomId, type SignIn } from './sessions.ts';

/** RFC 6749 §4.1.2 recommends at most ten minutes; a browser redirect takes well under one. */
export const CODE_LIFETIME_SECONDS = 60;
/** How long the sign-in page may stay open before its form is refused. */
export const PENDING_LIFETIME_SECONDS = 15 * 60;

/** A validated authorization request: everything the code and the tokens are bound to. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: string[];
  state?: string;
  nonce?: string;
  codeChallenge: string;
  prompt: Set<string>;
  maxAge?: number;
}

export interface CodeGrant {
  request: AuthorizationRequest;
  signIn: SignIn;
  /** The browser session it came from, so that signing out there ends the tokens it leads to. */
  sessionId: string;
  expiresAt: number;
  /** Set once redeemed: a second redemption is an attack on the first, and revokes what it produced. */
  familyId?: string;
}

class Expiring<T extends { expiresAt: number }> {
  private readonly items = new Map<string, T>();
  constructor(private readonly clock: Clock) {}
  add(value: T): string {
    this.prune();
    const id = randomId();
    this.items.set(id, value);
    return id;
  }
  get(id: string | undefined): T | undefined {
    this.prune();
    return id ? this.items.get(id) : undefined;
  }
  delete(id: string): void {
    this.items.delete(id);
  }
  private prune(): void {
    const now = epochSeconds(this.clock);
    for (const [id, value] of this.items) if (value.expiresAt <= now) this.items.delete(id);
  }
}

export interface PendingRequest {
  request: AuthorizationRequest;
  /** The request as the client sent it, for the page's search form to send again. */
  query: URLSearchParams;
  expiresAt: number;
}

export class PendingRequests {
  private readonly store: Expiring<PendingRequest>;
  constructor(private readonly clock: Clock) {
    this.store = new Expiring(clock);
  }
  add(request: AuthorizationRequest, query: URLSearchParams): string {
    return this.store.add({ request, query, expiresAt: epochSeconds(this.clock) + PENDING_LIFETIME_SECONDS });
  }
  get(id: string | undefined): PendingRequest | undefined {
    return this.store.get(id);
  }
  /** One sign-in per page: a second post of the same form (a double click, the back button) is refused. */
  take(id: string): void {
    this.store.delete(id);
  }
}

export class AuthorizationCodes {
  private readonly store: Expiring<CodeGrant>;
  constructor(private readonly clock: Clock) {
    this.store = new Expiring(clock);
  }
  issue(grant: Omit<CodeGrant, 'expiresAt' | 'familyId'>): string {
    return this.store.add({ ...grant, expiresAt: epochSeconds(this.clock) + CODE_LIFETIME_SECONDS });
  }
  /** The grant behind a code, live or already redeemed; undefined when unknown or expired. */
  find(code: string | undefined): CodeGrant | undefined {
    return this.store.get(code);
  }
}
