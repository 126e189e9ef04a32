/**
 * Policy ids, as Graph shows them: `DirectoryRole_{tenant}_{roleId}[_{scope}]` for roles, and
 * `Group_{groupId}_{guid}` for a group's member or owner access. Pure: made and parsed here only.
 */
import { createHash } from 'node:crypto';
import { NotFoundError } from '../../../domain/errors.ts';
import { TENANT_ID } from '../../../domain/ids.ts';
import { GROUP_ACCESS_IDS, groupAccessOf, type GroupAccessId } from '../../../domain/group-access.ts';
import { scopeKey, TENANT_SCOPE } from '../../../domain/scope.ts';


const encodeScope = (key: string) => Buffer.from(key).toString('base64url');

/**
 * `DirectoryRole_stint_{roleDefinitionId}` at the tenant, `…_{base64url(scope)}` below it. The scope is
 * encoded in its key form (lower case), so that one scope has one policy id however it is written.
 */
export function policyIdFor(roleDefinitionId: string, scope: string): string {
  const base = `DirectoryRole_${TENANT_ID}_${roleDefinitionId}`;
  const key = scope === TENANT_SCOPE ? TENANT_SCOPE : scopeKey(scope);
  return key === TENANT_SCOPE ? base : `${base}_${encodeScope(key)}`;
}

// Built-in roles have GUID ids; custom roles have `rol_<ULID>`, whose underscore must not end the role part.
const POLICY_ID = /^DirectoryRole_([^_]+)_((?:[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26})|[^_]+)(?:_([A-Za-z0-9_-]+))?$/;

/** The role and scope a policy id names (ids are built by policyIdFor, so they can be read back). */
export function parsePolicyId(id: string): { roleDefinitionId: string; scope: string } {
  const notFound = () => new NotFoundError(`Policy '${id.slice(0, 300)}' does not exist.`);
  const match = POLICY_ID.exec(id);
  if (!match || match[1] !== TENANT_ID) throw notFound();
  if (!match[3]) return { roleDefinitionId: match[2]!, scope: TENANT_SCOPE };
  let key: string;
  try {
    key = scopeKey(Buffer.from(match[3], 'base64url').toString('utf8'));
  } catch {
    throw notFound();
  }
  // Only the canonical encoding names a policy: no second id for the same scope, and never one for '/'.
  if (key === TENANT_SCOPE || encodeScope(key) !== match[3]) throw notFound();
  return { roleDefinitionId: match[2]!, scope: key };
}

/**
 * PIM for groups: one policy per group and access (member, owner), under an id shaped as Graph's
 * (`Group_{groupId}_{guid}`, the guid derived from the group and access so it can be found again).
 * Group policies start from Entra's group defaults and inherit from nothing.
 */
export function groupPolicyId(groupId: string, accessId: GroupAccessId): string {
  const hex = createHash('sha256').update(`${groupId}/${accessId}`).digest('hex');
  return `Group_${groupId}_${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The id of the policy of a role (or group access) at a scope. */
export function policyIdAt(roleDefinitionId: string, scope: string): string {
  const group = groupAccessOf({ roleDefinitionId, directoryScopeId: scope });
  return group ? groupPolicyId(group.groupId, group.accessId) : policyIdFor(roleDefinitionId, scope);
}

const GROUP_POLICY_ID = /^Group_(.+)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The group and access a group policy id names, or undefined if it names none. */
export function parseGroupPolicyId(id: string): { groupId: string; accessId: GroupAccessId } | undefined {
  const groupId = GROUP_POLICY_ID.exec(id)?.[1];
  const accessId = groupId ? GROUP_ACCESS_IDS.find((a) => groupPolicyId(groupId, a) === id) : undefined;
  return groupId && accessId ? { groupId, accessId } : undefined;
}
