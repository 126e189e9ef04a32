/**
 * The weekly digest's settings: read by anyone who reads role settings, changed by those who manage them
 * or role assignments (Privileged Role and Global Administrators), with an audit record in the same
 * transaction. Users named must exist: a typo would otherwise silently send to nobody.
 */
import type { DigestSettingsUpdate } from '../../contracts/insights.ts';
import { DEFAULT_DIGEST_SETTINGS, isMailAddress, type DigestSettings } from '../../domain/digest/settings.ts';
import { BadRequestError } from '../../domain/errors.ts';
import { getDigestSettings, saveDigestSettings } from '../../store/digest.ts';
import { getPrincipals } from '../../store/principals.ts';
import { commitChange } from '../../store/transact.ts';
import type { TableContext } from '../../store/table-context.ts';
import { auditOf } from '../audit-writer.ts';
import { requireAny, requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';

export async function currentDigestSettings(table: TableContext): Promise<DigestSettings> {
  return (await getDigestSettings(table))?.data ?? DEFAULT_DIGEST_SETTINGS;
}

export async function readDigestSettings(svc: Services, actor: Actor): Promise<DigestSettings> {
  await requirePermission(svc, actor, 'policies.read');
  return currentDigestSettings(svc.table);
}

async function requireUsers(svc: Services, ids: readonly string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const users = new Set((await getPrincipals(svc.table, ids)).filter((p) => p.type === 'user').map((p) => p.id));
  const missing = ids.find((id) => !users.has(id));
  if (missing) throw new BadRequestError(`${field}: '${missing}' is not a user in the directory (name users by id, or give a mail address).`);
}

const listText = (values: readonly string[]) => JSON.stringify(values);

export async function updateDigestSettings(svc: Services, actor: Actor, patch: DigestSettingsUpdate): Promise<DigestSettings> {
  await requireAny(svc, actor, ['policies.manage', 'roleAssignments.manage']);
  const dedupe = (values: string[] | undefined) => (values ? [...new Set(values.map((v) => v.trim()))] : undefined);
  const additional = dedupe(patch.additionalRecipients);
  const excluded = dedupe(patch.excludedUserIds);
  await Promise.all([
    requireUsers(
      svc,
      (additional ?? []).filter((r) => !isMailAddress(r)),
      'additionalRecipients',
    ),
    requireUsers(svc, excluded ?? [], 'excludedUserIds'),
  ]);
  const stored = await getDigestSettings(svc.table);
  const before = stored?.data ?? DEFAULT_DIGEST_SETTINGS;
  const now = svc.clock.now();
  const after: DigestSettings = {
    isEnabled: patch.isEnabled ?? before.isEnabled,
    sendToAdministrators: patch.sendToAdministrators ?? before.sendToAdministrators,
    additionalRecipients: additional ?? before.additionalRecipients,
    excludedUserIds: excluded ?? before.excludedUserIds,
    lastModifiedDateTime: now.toISOString(),
    lastModifiedBy: { id: actor.caller.id, displayName: actor.caller.displayName ?? null },
  };
  const changed = (['isEnabled', 'sendToAdministrators', 'additionalRecipients', 'excludedUserIds'] as const)
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({
      displayName: key,
      oldValue: Array.isArray(before[key]) ? listText(before[key]) : String(before[key]),
      newValue: Array.isArray(after[key]) ? listText(after[key]) : String(after[key]),
    }));
  const audit = auditOf(
    svc,
    actor,
    {
      category: 'Policy',
      activity: 'Update PIM weekly digest settings',
      operationType: 'Update',
      targets: [{ id: 'digestSettings', displayName: 'PIM weekly digest', type: 'Policy', modifiedProperties: changed }],
    },
    now,
  );
  await commitChange(svc.table, [saveDigestSettings(after, stored?.version)], audit);
  return after;
}
