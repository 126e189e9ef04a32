/**
 * What a stage was deployed with, where changing it would break people: who issues tokens and which SES
 * identity sends mail. Synth records it in `stages/<stage>.lock.json` the first time it synthesizes the
 * stage (commit it beside the settings), and from then on refuses a settings file that differs until the
 * change is acknowledged once with `-c accept=identity` and/or `-c accept=mail`, which rewrites the record.
 * Synth cannot know whether a deploy follows, so the record is of the first synth: a stage never deployed
 * may simply delete its lock file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { StageSettings } from './schema.ts';
import { StageSettingsError, type LoadedStage } from './load.ts';

export const GUARDED = ['identity', 'mail'] as const;
export type Guarded = (typeof GUARDED)[number];

const lockSchema = z.object({
  $comment: z.string().optional(),
  identity: z.union([z.object({ kind: z.literal('cognito'), cognitoDomain: z.string() }), z.object({ kind: z.literal('oidc'), issuer: z.string() })]),
  mail: z.object({ identity: z.string() }),
});
export type StageLock = z.output<typeof lockSchema>;

const COMMENT =
  'Written by synth: what this stage was deployed with. Commit it with the stage file. Synth refuses a change of identity or mail identity unless acknowledged once with -c accept=identity or -c accept=mail (docs/deploy.md, "Changing identity or mail").';

export function lockOf(s: StageSettings): StageLock {
  return {
    $comment: COMMENT,
    identity: s.identity === 'cognito' ? { kind: 'cognito', cognitoDomain: s.cognitoDomain! } : { kind: 'oidc', issuer: s.jwtIssuer! },
    mail: { identity: s.mailDomain ?? s.mailFrom },
  };
}

export const lockPath = (stagesDir: string, stage: string) => join(stagesDir, `${stage}.lock.json`);

const describeIdentity = (i: StageLock['identity']) =>
  i.kind === 'cognito' ? `identity "cognito" with the domain prefix "${i.cognitoDomain}"` : `identity "oidc" with the issuer ${i.issuer}`;

/** What would break, in the deployer's terms. */
function identityConsequence(was: StageLock['identity'], now: StageLock['identity']): string {
  if (was.kind === 'oidc' && now.kind === 'cognito')
    return `the API would trust only a new Cognito user pool: every token from ${was.issuer} is refused, and people sign in anew`;
  if (was.kind === 'cognito' && now.kind === 'oidc')
    return "the API would refuse every token from the stack's user pool, whose clients and sign-in domain are deleted (the pool itself is kept)";
  if (was.kind === 'oidc' && now.kind === 'oidc')
    return `the API would refuse every token from ${was.issuer}; people are linked again by name on their first call`;
  return `the hosted sign-in moves from "${(was as { cognitoDomain: string }).cognitoDomain}" to a new domain: bookmarks and scripts' token URL change`;
}

/**
 * Compares the settings with the stage's record and returns what to write, if anything: the first record,
 * or the record after an accepted change. Throws, saying what to do, on a change not accepted, or on an
 * `accept` with nothing to accept (so it cannot stay in a script and silence the next change).
 */
export function checkLock(stage: LoadedStage, stagesDir: string, accepted: ReadonlySet<Guarded>): StageLock | undefined {
  const path = lockPath(stagesDir, stage.name);
  const now = lockOf(stage.settings);
  if (!existsSync(path)) {
    if (accepted.size)
      throw new StageSettingsError(`-c accept=${[...accepted].join(',')}: stage "${stage.name}" has no record yet, so nothing to accept; remove it.`);
    return now;
  }
  const parsed = lockSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new StageSettingsError(`${path} is not a stage record; restore it from version control.`);
  const was = parsed.data;
  const changed = new Set<Guarded>();
  if (JSON.stringify(was.identity) !== JSON.stringify(now.identity)) changed.add('identity');
  if (was.mail.identity !== now.mail.identity) changed.add('mail');

  const refused: string[] = [];
  if (changed.has('identity') && !accepted.has('identity'))
    refused.push(
      `Stage "${stage.name}" was deployed with ${describeIdentity(was.identity)}; ${stage.file} now says ${describeIdentity(now.identity)}. ` +
        `Deployed, ${identityConsequence(was.identity, now.identity)}. If you mean it, run once with -c accept=identity (the record is rewritten: commit it); if not, put the old values back in ${stage.file}.`,
    );
  if (changed.has('mail') && !accepted.has('mail'))
    refused.push(
      `Stage "${stage.name}" sends mail as the SES identity "${was.mail.identity}"; ${stage.file} now says "${now.mail.identity}". ` +
        `Deployed, the old identity is deleted and no email is sent until the new one is verified. If you mean it, run once with -c accept=mail; if not, put "mailFrom"/"mailDomain" back in ${stage.file}.`,
    );
  for (const key of accepted)
    if (!changed.has(key))
      refused.push(`-c accept=${key}: the ${key} settings of stage "${stage.name}" did not change, so there is nothing to accept; remove it.`);
  if (refused.length) throw new StageSettingsError(refused.join('\n'));
  return changed.size ? now : undefined;
}

/** `-c accept=identity,mail`. */
export function acceptedChanges(value: unknown): Set<Guarded> {
  if (value === undefined || value === '') return new Set();
  const keys = String(value)
    .split(',')
    .map((k) => k.trim());
  const unknown = keys.filter((k) => !(GUARDED as readonly string[]).includes(k));
  if (unknown.length) throw new StageSettingsError(`-c accept takes ${GUARDED.join(' and/or ')} (comma-separated); got "${unknown.join(',')}".`);
  return new Set(keys as Guarded[]);
}

export function writeLock(stagesDir: string, stage: string, lock: StageLock): void {
  writeFileSync(lockPath(stagesDir, stage), `${JSON.stringify(lock, null, 2)}\n`);
}
