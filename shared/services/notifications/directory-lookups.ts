/**
 * The directory reads a notification needs: the default recipients of each audience, their mail
 * addresses, and the names shown in the email. Read at send time, so an email goes to whoever holds
 * the administrator roles and to the address a user has now. The administrators themselves are the
 * fallback approvers (roles/approvals/approvers.ts), so an Admin email and an approval agree on who they are.
 */
import type { RecipientType } from '../../domain/notifications/types.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { allMembersOf } from '../../store/memberships.ts';
import type { TableContext } from '../../store/table-context.ts';

async function membersOf(table: TableContext, groupId: string): Promise<string[]> {
  return (await allMembersOf(table, groupId)).map((m) => m.id);
}

export interface Principal {
  id: string;
  type: string;
  displayName: string;
}

export async function loadPrincipal(table: TableContext, id: string): Promise<Principal | undefined> {
  const [item] = await getObjectItems(table, [id]);
  if (!item) return undefined;
  const data = item.data as { displayName?: string | null };
  return { id, type: String(item.type), displayName: data.displayName ?? id };
}

/** The Requestor audience: the principal, or a group's members (a service principal has no mailbox). */
export async function requestorIds(table: TableContext, principal: Principal | undefined): Promise<string[]> {
  if (!principal) return [];
  if (principal.type === 'group') return membersOf(table, principal.id);
  return principal.type === 'user' ? [principal.id] : [];
}

/** Each user's address: `mail`, else the userPrincipalName (Entra delivers to the UPN when mail is empty). */
export async function mailAddresses(table: TableContext, userIds: readonly string[]): Promise<Map<string, string>> {
  const items = await getObjectItems(table, [...new Set(userIds)]);
  const found = new Map<string, string>();
  for (const item of items) {
    if (item.type !== 'user') continue;
    const data = item.data as { id: string; mail?: string | null; userPrincipalName?: string | null; accountEnabled?: boolean | null };
    // A disabled account cannot sign in to act on the email.
    if (data.accountEnabled === false) continue;
    const address = data.mail || data.userPrincipalName;
    if (address) found.set(data.id, address);
  }
  return found;
}

export type DefaultRecipients = Partial<Record<RecipientType, string[]>>;
