/**
 * Refresh tokens with rotation and reuse detection (OAuth 2.0 Security BCP §4.14): each use hands out a
 * new token and kills the old one; a dead token coming back means two parties hold the family, so the whole
 * family ends. A family keeps the sign-in it came from: a refresh is not a fresh authentication.
 */
import type { Clock } from '../../../shared/domain/clock.ts';
import { epochSeconds, randomId, type SignIn } from './sessions.ts';

/** However often it is refreshed, a family ends this long after the sign-in it came from. */
export const REFRESH_FAMILY_LIFETIME_SECONDS = 24 * 3600;

export interface RefreshFamily {
  id: string;
  clientId: string;
  sessionId: string;
  scope: string[];
  signIn: SignIn;
  /** The one token of the family that may be used now. */
  current: string;
  revoked: boolean;
}

export type Rotation = { ok: true; family: RefreshFamily; token: string } | { ok: false; reason: string };

export class RefreshTokens {
  private readonly families = new Map<string, RefreshFamily>();
  /** Every token handed out, live or dead, to its family. */
  private readonly tokens = new Map<string, string>();
  constructor(private readonly clock: Clock) {}

  start(grant: Omit<RefreshFamily, 'id' | 'current' | 'revoked'>): { family: RefreshFamily; token: string } {
    this.forgetExpired();
    const family: RefreshFamily = { ...grant, id: randomId(), current: randomId(), revoked: false };
    this.families.set(family.id, family);
    this.tokens.set(family.current, family.id);
    return { family, token: family.current };
  }

  rotate(token: string, clientId: string): Rotation {
    const family = this.families.get(this.tokens.get(token) ?? '');
    if (!family || family.clientId !== clientId) return { ok: false, reason: 'The refresh token is not known for this client.' };
    if (family.revoked) return { ok: false, reason: 'The refresh token has been revoked; sign in again.' };
    if (epochSeconds(this.clock) - family.signIn.authTime > REFRESH_FAMILY_LIFETIME_SECONDS) {
      this.revoke(family.id);
      return { ok: false, reason: 'The sign-in behind this refresh token is too old; sign in again.' };
    }
    if (family.current !== token) {
      this.revoke(family.id);
      return { ok: false, reason: 'The refresh token was already used, so every token of its sign-in is revoked; sign in again.' };
    }
    family.current = randomId();
    this.tokens.set(family.current, family.id);
    return { ok: true, family, token: family.current };
  }

  /** A stack left running for days keeps only families that could still be used. */
  private forgetExpired(): void {
    const oldest = epochSeconds(this.clock) - REFRESH_FAMILY_LIFETIME_SECONDS;
    const gone = new Set<string>();
    for (const family of this.families.values()) if (family.signIn.authTime < oldest) gone.add(family.id);
    if (!gone.size) return;
    for (const id of gone) this.families.delete(id);
    for (const [token, familyId] of this.tokens) if (gone.has(familyId)) this.tokens.delete(token);
  }

  revoke(familyId: string | undefined): void {
    const family = familyId ? this.families.get(familyId) : undefined;
    if (family) family.revoked = true;
  }

  /** Signing out of a browser ends every family its session led to. */
  revokeSession(sessionId: string): void {
    for (const family of this.families.values()) if (family.sessionId === sessionId) family.revoked = true;
  }

  /** A new sign-in in the same browser by the same person keeps their families reachable from the new session. */
  moveSession(from: string, to: string): void {
    for (const family of this.families.values()) if (family.sessionId === from) family.sessionId = to;
  }
}
