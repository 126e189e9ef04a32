/**
 * AWS access as PIM holds it: a role is an IAM Identity Center permission set (its id `ps-…` is the role
 * definition id), a scope is an account (`/accounts/{12 digits}`) or an organizational unit or root
 * (`/ous/{ou-…|r-…}`), and an active assignment at an account is an Identity Center account assignment.
 * Pure: what the scopes mean, which schedules hold an assignment, and how long sessions outlive a revoke.
 */
import { BadRequestError } from './errors.ts';
import { parseDuration } from './duration.ts';

const ACCOUNTS = '/accounts/';
const OUS = '/ous/';

export type AwsScope = { type: 'account'; id: string } | { type: 'ou'; id: string };

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

/** Whether a scope belongs to the AWS provider (an account or an OU), whatever its form. */
export function isAwsScope(scope: string): boolean {
  const s = scope.toLowerCase();
  return s.startsWith(ACCOUNTS) || s.startsWith(OUS);
}

export function isAwsAccess(target: { directoryScopeId: string }): boolean {
  return isAwsScope(target.directoryScopeId);
}

export const accountScope = (accountId: string): string => `${ACCOUNTS}${accountId}`;
export const ouScope = (ouId: string): string => `${OUS}${ouId}`;

/** Reads an AWS scope, or says what it must look like. */
export function parseAwsScope(scope: string): AwsScope {
  const lower = scope.toLowerCase();
  if (lower.startsWith(ACCOUNTS)) {
    const id = scope.slice(ACCOUNTS.length);
    if (ACCOUNT_ID.test(id)) return { type: 'account', id };
  } else if (lower.startsWith(OUS)) {
    const id = lower.slice(OUS.length);
    if (OU_ID.test(id) || ROOT_ID.test(id)) return { type: 'ou', id };
  }
  throw new BadRequestError(
    `directoryScopeId '${scope.slice(0, 200)}' is not an AWS scope. Use '/accounts/{12-digit account id}', or for eligibility '/ous/{ou-… or r-… id}'.`,
    'InvalidScope',
  );
}

/** Whether an id is a permission set's (`ps-…`), which is what an AWS role definition's id is. */
export function isPermissionSetId(id: string): boolean {
  return /^ps-[0-9a-z]{4,64}$/.test(id);
}

/** The permission-set id an ARN ends with (arn:aws:sso:::permissionSet/ssoins-…/ps-…). */
export function permissionSetIdOf(arn: string): string {
  const id = arn.slice(arn.lastIndexOf('/') + 1);
  if (!isPermissionSetId(id)) throw new BadRequestError(`'${arn.slice(0, 300)}' is not a permission set ARN.`, 'InvalidPermissionSet');
  return id;
}

/**
 * Whether an eligibility at `eligibleAt` lets its holder act at the account `account` whose ancestors
 * (OUs nearest first, then the root) are `parents`.
 */
export function awsScopeCovers(eligibleAt: string, account: string, parents: readonly string[]): boolean {
  const outer = parseAwsScope(eligibleAt);
  const inner = parseAwsScope(account);
  if (inner.type !== 'account') return false;
  return outer.type === 'account' ? outer.id === inner.id : parents.includes(outer.id);
}

/** Whether a schedule should hold its account assignment now: an active assignment, started, not ended. */
export function holdsAssignment(s: { kind: string; status: string; directoryScopeId: string } | undefined): boolean {
  return !!s && s.kind === 'assignment' && s.status === 'Provisioned' && isAwsScope(s.directoryScopeId);
}

/**
 * The status of a request whose access starts now: AWS access is usable only once Identity Center has
 * made the account assignment, so it reports PendingProvisioning (Graph's status) until the run confirms it.
 */
export function startedStatus(r: { kind: string; directoryScopeId: string }): 'Provisioned' | 'PendingProvisioning' {
  return r.kind === 'assignment' && isAwsScope(r.directoryScopeId) ? 'PendingProvisioning' : 'Provisioned';
}

/** AWS's own default when a permission set names none. */
export const DEFAULT_SESSION_DURATION = 'PT1H';

/** Until when sessions issued before `revokedAt` may still be used: revoking stops new sessions only. */
export function sessionsMayLastUntil(revokedAt: string, sessionDuration: string | undefined): string {
  const ms = parseDuration(sessionDuration ?? DEFAULT_SESSION_DURATION);
  return new Date(Date.parse(revokedAt) + ms).toISOString();
}

/** The guide's recommendation: a revoke is honest only if issued sessions end soon after. */
export const RECOMMENDED_MAX_SESSION_MS = 3_600_000;

export function allowsLongSessions(sessionDuration: string | undefined): boolean {
  return parseDuration(sessionDuration ?? DEFAULT_SESSION_DURATION) > RECOMMENDED_MAX_SESSION_MS;
}

/** The record key of one assignment: account, permission set, identity-store user. */
export interface AssignmentKey {
  accountId: string;
  permissionSetId: string;
  userId: string;
}

export function assignmentKeyString(k: AssignmentKey): string {
  return `${k.accountId}#${k.permissionSetId}#${k.userId}`;
}
