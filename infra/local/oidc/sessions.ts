/**
 * The dev issuer's own sign-in sessions: who signed in on this browser, with MFA or not, and when. The
 * browser holds only a random id in an HttpOnly cookie; the rest stays here, in memory (a restart signs
 * everyone out, which is what a developer expects of a local stack).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../shared/domain/clock.ts';

export const SESSION_COOKIE = 'stint_dev_signin';
/** Only the sign-in endpoints read it; the API never sees it. */
const COOKIE_PATH = '/local/';
/** As long as a working day: after it the page asks again. */
export const SESSION_LIFETIME_SECONDS = 12 * 3600;

export interface SignIn {
  userId: string;
  mfa: boolean;
  /** Seconds since the epoch, on the stack's clock: the id token's and the access token's auth_time. */
  authTime: number;
}

export const randomId = () => randomBytes(32).toString('base64url');
export const epochSeconds = (clock: Clock) => Math.floor(clock.now().getTime() / 1000);

export class SignInSessions {
  private readonly sessions = new Map<string, SignIn>();
  constructor(private readonly clock: Clock) {}

  start(signIn: SignIn): string {
    for (const [id, session] of this.sessions) if (this.expired(session)) this.sessions.delete(id);
    const id = randomId();
    this.sessions.set(id, signIn);
    return id;
  }

  /** The live session with this id; one older than the lifetime is forgotten. */
  get(id: string | undefined): SignIn | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return undefined;
    if (this.expired(session)) {
      this.sessions.delete(id!);
      return undefined;
    }
    return session;
  }

  private expired(session: SignIn): boolean {
    return epochSeconds(this.clock) - session.authTime > SESSION_LIFETIME_SECONDS;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/**
 * HttpOnly: no script reads it. SameSite=Lax: sent on the top-level navigations of sign-in and sign-out,
 * not on another site's form posts or frames. No Secure: the local stack is plain http on localhost.
 */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=${COOKIE_PATH}; HttpOnly; SameSite=Lax`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=${COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age=0`;
}
