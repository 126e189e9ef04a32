/**
 * The directory's three kinds of object (users, groups, service principals): where each lives in the API,
 * how the portal searches it on the server, and what an edit form sends (only what changed, as Graph
 * expects of a PATCH).
 */
import { odataString } from '../api/paths.ts';

export type DirectoryKind = 'users' | 'groups' | 'servicePrincipals';

export const KINDS: DirectoryKind[] = ['users', 'groups', 'servicePrincipals'];

export const KIND_LABEL: Record<DirectoryKind, { plural: string; singular: string; newLabel: string }> = {
  users: { plural: 'Users', singular: 'user', newLabel: 'New user' },
  groups: { plural: 'Groups', singular: 'group', newLabel: 'New group' },
  servicePrincipals: { plural: 'Service principals', singular: 'service principal', newLabel: 'New service principal' },
};

/** The properties each kind is searched on (what the API's startswith supports for it). */
const SEARCHED: Record<DirectoryKind, string[]> = {
  users: ['displayName', 'userPrincipalName', 'mail'],
  groups: ['displayName', 'mail'],
  servicePrincipals: ['displayName'],
};

export function isKind(value: string | null | undefined): value is DirectoryKind {
  return KINDS.includes(value as DirectoryKind);
}

/** `startswith(displayName,'ad') or startswith(mail,'ad')`; undefined for an empty search. */
export function searchFilter(kind: DirectoryKind, text: string): string | undefined {
  const term = text.trim();
  if (!term) return undefined;
  return SEARCHED[kind].map((p) => `startswith(${p},${odataString(term)})`).join(' or ');
}

/** The portal's path of an object's own page, from its `@odata.type` or kind. */
export function objectPath(kind: DirectoryKind, id: string): string {
  return `/manage/directory/${kind}/${encodeURIComponent(id)}`;
}

export function kindOfODataType(type: string | undefined): DirectoryKind | undefined {
  if (type === '#microsoft.graph.user') return 'users';
  if (type === '#microsoft.graph.group') return 'groups';
  if (type === '#microsoft.graph.servicePrincipal') return 'servicePrincipals';
  return undefined;
}

export const ODATA_TYPE_LABEL: Record<string, string> = {
  '#microsoft.graph.user': 'User',
  '#microsoft.graph.group': 'Group',
  '#microsoft.graph.servicePrincipal': 'Service principal',
};

/** A form's value for a text property: '' for null, so inputs stay controlled. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export type FieldValue = string | boolean;

/**
 * The PATCH body: only the properties whose value the person changed. An emptied text property is sent as
 * null (Graph's way to clear it); `lists` are properties the API keeps as arrays (businessPhones), sent as
 * a one-item list or an empty one; `csv` are list properties typed as comma-separated text (tags).
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, FieldValue>,
  lists: readonly string[] = [],
  csv: readonly string[] = [],
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (typeof value === 'boolean') {
      if (value !== before[key]) patch[key] = value;
      continue;
    }
    if (csv.includes(key)) {
      const items = splitList(value);
      if (items.join(', ') !== textOf(before[key])) patch[key] = items;
      continue;
    }
    const trimmed = value.trim();
    if (trimmed === textOf(before[key]).trim()) continue;
    if (lists.includes(key)) patch[key] = trimmed ? [trimmed] : [];
    else patch[key] = trimmed === '' ? null : trimmed;
  }
  return patch;
}

/** 'a, b,,c ' → ['a', 'b', 'c']. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Graph's reference to a directory object, as `members@odata.bind` and `members/$ref` take it. */
export function directoryObjectRef(id: string): string {
  return `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;
}

/** What the portal reads of each kind (Graph's properties; the API returns more). */
export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  mailNickname: string | null;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  accountEnabled: boolean;
  usageLocation: string | null;
  preferredLanguage: string | null;
  employeeId: string | null;
  companyName: string | null;
  createdDateTime: string;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  isAssignableToRole: boolean;
  visibility: string | null;
  createdDateTime: string;
}

export interface DirectoryServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appDisplayName: string | null;
  description: string | null;
  servicePrincipalType: 'Application' | 'ManagedIdentity';
  accountEnabled: boolean;
  tags: string[];
  /** Graph v1.0's servicePrincipal has no createdDateTime: Stint answers with its own annotation. */
  '@stint.createdDateTime': string;
}

/** A member or a group membership: any directory object, typed by `@odata.type`. */
export interface DirectoryObject {
  '@odata.type': string;
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string | null;
  appId?: string;
}

/** A mail nickname from a display name, as Entra suggests one: letters, digits, dot, underscore, hyphen. */
export function nicknameOf(displayName: string): string {
  return displayName
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '')
    .slice(0, 64);
}
