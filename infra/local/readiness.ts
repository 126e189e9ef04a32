/**
 * Which parts of the local stack are up. The API listens before the rest has started (the background and
 * the seed use the running API's services), so locally GET /health means "ready": 200 only once every part
 * asked for is up and the demo tenant is seeded, 503 naming the parts still starting otherwise. A script
 * that waits for health can then ask /local/token for admin@contoso.test at once. On AWS /health stays a
 * liveness check that reads nothing (functions/api/routes/meta.ts).
 */

/** A part of the stack that /health waits for. DynamoDB and the table come up before the API listens. */
export type StackPart = 'https' | 'email' | 'background' | 'seed';

export interface Readiness {
  /** The part is up. */
  ready(part: StackPart): void;
  /** The answer to GET /health. */
  health(): { status: 200; body: { status: 'ok' } } | { status: 503; body: { status: 'starting'; notReady: StackPart[] } };
}

/** `parts`: those this stack starts (no 'https' without an HTTPS port, no 'seed' when seeding is off, …). */
export function createReadiness(parts: StackPart[]): Readiness {
  const waiting = new Set(parts);
  return {
    ready(part) {
      waiting.delete(part);
    },
    health() {
      if (waiting.size === 0) return { status: 200, body: { status: 'ok' } };
      return { status: 503, body: { status: 'starting', notReady: parts.filter((p) => waiting.has(p)) } };
    },
  };
}
