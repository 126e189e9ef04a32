/**
 * Who gets the weekly PIM digest. By default Entra's administrators for PIM (Privileged Role
 * Administrators and Global Administrators, also through groups); additional recipients may be users or
 * mail addresses outside the directory; excluded users never get it.
 */

export interface DigestSettings {
  isEnabled: boolean;
  sendToAdministrators: boolean;
  /** User ids, or mail addresses. */
  additionalRecipients: string[];
  excludedUserIds: string[];
  lastModifiedDateTime: string | null;
  lastModifiedBy: { id: string | null; displayName: string | null };
}

export const DEFAULT_DIGEST_SETTINGS: DigestSettings = {
  isEnabled: true,
  sendToAdministrators: true,
  additionalRecipients: [],
  excludedUserIds: [],
  lastModifiedDateTime: null,
  lastModifiedBy: { id: null, displayName: null },
};

/** A recipient written as a mail address rather than a user id. */
export function isMailAddress(recipient: string): boolean {
  return recipient.includes('@');
}

/**
 * The addresses the digest goes to: each user's address (`addressOf`; users without one, or disabled, have
 * none) and the mail addresses named, less the excluded users and their addresses, each once (case-blind).
 */
export function digestAddresses(settings: DigestSettings, administratorIds: readonly string[], addressOf: ReadonlyMap<string, string>): string[] {
  const excluded = new Set(settings.excludedUserIds);
  const excludedAddresses = new Set(settings.excludedUserIds.flatMap((id) => addressOf.get(id)?.toLowerCase() ?? []));
  const userIds = [...(settings.sendToAdministrators ? administratorIds : []), ...settings.additionalRecipients.filter((r) => !isMailAddress(r))];
  const addresses = [
    ...userIds.filter((id) => !excluded.has(id)).flatMap((id) => addressOf.get(id) ?? []),
    ...settings.additionalRecipients.filter(isMailAddress).map((a) => a.trim()),
  ];
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = a.toLowerCase();
    if (seen.has(key) || excludedAddresses.has(key)) return false;
    seen.add(key);
    return true;
  });
}
