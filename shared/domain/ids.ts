import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.ts';

/**
 * Ids are a short type prefix and a ULID: sortable by creation time (so sort keys are time-ordered for
 * free) and telling what kind of object an id names, which `@odata.id` references need.
 */
export const ID_PREFIXES = {
  user: 'usr',
  group: 'grp',
  servicePrincipal: 'spn',
  roleDefinition: 'rol',
  audit: 'aud',
  request: 'req',
  accessReview: 'arv',
  reviewInstance: 'ari',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom: number[] = [];

/** 80 random bits as 16 base-32 digits, bumped by one within the same millisecond to stay monotonic. */
function randomPart(time: number): number[] {
  if (time === lastTime) {
    const next = [...lastRandom];
    for (let i = next.length - 1; i >= 0; i--) {
      if (next[i]! < 31) {
        next[i]! += 1;
        break;
      }
      next[i] = 0;
    }
    lastRandom = next;
    return next;
  }
  const bytes = randomBytes(16);
  lastTime = time;
  lastRandom = Array.from(bytes, (b) => b & 31);
  return lastRandom;
}

export function ulid(time: number): string {
  let timePart = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[t % 32] + timePart;
    t = Math.floor(t / 32);
  }
  return (
    timePart +
    randomPart(time)
      .map((d) => CROCKFORD[d])
      .join('')
  );
}

export function newId(kind: IdKind, clock: Clock): string {
  return `${ID_PREFIXES[kind]}_${ulid(clock.now().getTime())}`;
}

/** The kind an id names, from its prefix; undefined for ids that are not ours (e.g. built-in role GUIDs). */
export function kindOfId(id: string): IdKind | undefined {
  const prefix = id.split('_', 1)[0];
  return (Object.keys(ID_PREFIXES) as IdKind[]).find((k) => ID_PREFIXES[k] === prefix);
}

const ID_PATTERN = /^[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}$/;

export function isStintId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Whether `id` is one of our ids of that kind, e.g. a request id: `req_` and a 26-character ULID. */
export function isIdOf(kind: IdKind, id: string): boolean {
  return isStintId(id) && id.startsWith(`${ID_PREFIXES[kind]}_`);
}

/** Stint serves one tenant; where Graph's ids carry a tenant id (policies, alerts), this is it. */
export const TENANT_ID = 'stint';
