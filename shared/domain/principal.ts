/**
 * A principal as PIM needs it: who can hold access and who can approve it. Read from the directory by
 * shared/store/principals.ts, so services never pick fields out of stored items.
 */
import type { PrincipalType } from './schedule.ts';

export interface DirectoryPrincipal {
  id: string;
  type: PrincipalType;
  displayName: string;
  /** Users only. */
  userPrincipalName?: string;
  /** Groups only: whether roles may be assigned to it (Entra's isAssignableToRole). */
  isAssignableToRole?: boolean;
  /** Users and service principals: a disabled account cannot sign in (groups have no account: always true). */
  accountEnabled: boolean;
}

/** Whether the principal can sign in to decide an approval step: an enabled user. */
export function canApprove(p: Pick<DirectoryPrincipal, 'type' | 'accountEnabled'>): boolean {
  return p.type === 'user' && p.accountEnabled;
}
