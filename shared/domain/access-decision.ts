/**
 * Access decisions: may this principal perform this action at this scope right now? Pure, so the rule
 * is tested at exact instants without a table. Answers carry their reason, as the OpenID AuthZEN
 * Authorization API allows in a decision's `context`: which instance grants it (direct or through which
 * group, until when), or, when nothing does, whether an eligibility would if activated.
 *
 * The rule: some assignment of the principal (its own, or one of a group it belongs to) is in force at
 * `now` (start <= now < end), its role allows the action, and its scope is the asked scope or above it.
 * Among several, the one that lasts longest is named: permanent beats time-bound, direct beats a group.
 */
import { isAllowed, PERMISSION_NAMES, roleNamesGranting, type HeldRole, type Permission } from './authorization.ts';
import { findBuiltinRole, roleAllowsAction, type RoleDefinition } from './builtin-roles.ts';
import { GROUP_OWNER } from './group-access.ts';
import { kindOfId } from './ids.ts';
import { isInForce, type Schedule } from './schedule.ts';
import { scopeContains } from './scope.ts';

/** AuthZEN subject types: the three principal kinds, and 'identity' for "whichever it is". */
export const SUBJECT_TYPES = ['user', 'group', 'servicePrincipal', 'identity'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

const PRINCIPAL_KINDS: readonly string[] = ['user', 'group', 'servicePrincipal'];

export interface Subject {
  type: SubjectType;
  id: string;
}

export interface AccessQuestion {
  subject: Subject;
  action: string;
  /** A normalized scope (shared/domain/scope.ts normalizeScope). */
  scope: string;
}

/**
 * A schedule the subject holds, directly or (with `viaGroupId`) as a member of a group; with
 * `viaMembership` that membership is a PIM for groups one, and the holding lasts only as long as it.
 */
export interface HeldSchedule {
  schedule: Pick<Schedule, 'id' | 'kind' | 'roleDefinitionId' | 'directoryScopeId' | 'assignmentType' | 'startDateTime' | 'endDateTime'>;
  viaGroupId?: string;
  viaMembership?: Pick<Schedule, 'startDateTime' | 'endDateTime'> & { scheduleId: string };
}

export interface DecisionFacts {
  /** The subject's schedules, both kinds; any not in force at `now` are ignored. */
  holdings: readonly HeldSchedule[];
  roles: readonly RoleDefinition[];
  /** Display names of the groups holdings come through; null when the group is gone. */
  groupNames: ReadonlyMap<string, string | null>;
  now: Date;
}

/** The instance a decision names. */
export interface HoldingView {
  scheduleId: string;
  roleDefinitionId: string;
  roleDisplayName: string;
  directoryScopeId: string;
  memberType: 'Direct' | 'Group';
  /** With `membership` when the group membership is a PIM for groups one (its schedule and end). */
  viaGroup: { id: string; displayName: string | null; membership?: { scheduleId: string; endDateTime: string | null } } | null;
  startDateTime: string;
  /** When this path ends: the schedule's end, or the PIM membership's if that comes first. */
  endDateTime: string | null;
}

export interface Grant extends HoldingView {
  assignmentType: 'Assigned' | 'Activated' | null;
}

export type AccessDecision =
  { decision: true; context: { reason: string; grant: Grant } } | { decision: false; context: { reason: string; eligibility?: HoldingView } };

export const EVALUATIONS_SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;
export type EvaluationsSemantic = (typeof EVALUATIONS_SEMANTICS)[number];

/**
 * Entra's directory namespace. Azure resource roles (Owner's `*`, Contributor's `*`) never reach into
 * it: an Owner, even at '/', does not reset passwords. Directory roles list their actions explicitly.
 */
const DIRECTORY_NAMESPACE = 'microsoft.directory/';

function roleGrants(role: RoleDefinition, action: string): boolean {
  if (role.kind === 'resource' && action.toLowerCase().startsWith(DIRECTORY_NAMESPACE)) return false;
  return roleAllowsAction(role, action);
}

interface Candidate {
  held: HeldSchedule;
  role: RoleDefinition;
}

const endMs = (end: string | null) => (end === null ? Number.POSITIVE_INFINITY : Date.parse(end));

/** The end of a path: a holding through a PIM membership ends when either does. */
function pathEnd(held: HeldSchedule): string | null {
  const own = held.schedule.endDateTime;
  const membership = held.viaMembership?.endDateTime ?? null;
  return endMs(membership) < endMs(own) ? membership : own;
}

function endOf(c: { held: HeldSchedule }): number {
  return endMs(pathEnd(c.held));
}

/** Longest-lasting first (permanent first of all), then direct before group, then by schedule id. */
function best<T extends { held: HeldSchedule }>(candidates: T[]): T | undefined {
  return [...candidates].sort(
    (a, b) =>
      endOf(b) - endOf(a) ||
      Number(!!a.held.viaGroupId) - Number(!!b.held.viaGroupId) ||
      (a.held.schedule.id < b.held.schedule.id ? -1 : a.held.schedule.id > b.held.schedule.id ? 1 : 0),
  )[0];
}

type RolesById = ReadonlyMap<string, RoleDefinition>;

/** The candidates of one kind whose role allows the action at a scope containing the asked one. */
function covering(question: AccessQuestion, facts: DecisionFacts, roles: RolesById, kind: HeldSchedule['schedule']['kind']): Candidate[] {
  return facts.holdings.flatMap((held) => {
    const s = held.schedule;
    const role = roles.get(s.roleDefinitionId.toLowerCase());
    const applies =
      s.kind === kind &&
      role !== undefined &&
      isInForce(s, facts.now) &&
      (!held.viaMembership || isInForce(held.viaMembership, facts.now)) &&
      scopeContains(s.directoryScopeId, question.scope) &&
      roleGrants(role, question.action);
    return applies ? [{ held, role: role! }] : [];
  });
}

function viewOf(c: { held: HeldSchedule; role: Pick<RoleDefinition, 'displayName'> }, groupNames: DecisionFacts['groupNames']): HoldingView {
  const s = c.held.schedule;
  const groupId = c.held.viaGroupId;
  return {
    scheduleId: s.id,
    roleDefinitionId: s.roleDefinitionId,
    roleDisplayName: c.role.displayName,
    directoryScopeId: s.directoryScopeId,
    memberType: groupId ? 'Group' : 'Direct',
    viaGroup: groupId
      ? {
          id: groupId,
          displayName: groupNames.get(groupId) ?? null,
          ...(c.held.viaMembership ? { membership: { scheduleId: c.held.viaMembership.scheduleId, endDateTime: c.held.viaMembership.endDateTime } } : {}),
        }
      : null,
    startDateTime: s.startDateTime,
    endDateTime: pathEnd(c.held),
  };
}

function nounOf(type: SubjectType): string {
  return type === 'identity' ? 'principal' : type === 'servicePrincipal' ? 'service principal' : type;
}

function subjectLabel(subject: Subject): string {
  return `${nounOf(subject.type)} '${subject.id}'`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function how(view: HoldingView): string {
  const group = view.viaGroup;
  const membership = group?.membership
    ? ` (via an active PIM membership ${group.membership.endDateTime === null ? 'with no end' : `until ${group.membership.endDateTime}`})`
    : '';
  const through = group ? `held through group '${group.displayName ?? group.id}'${membership}` : 'held directly';
  const until = view.endDateTime === null ? 'with no end' : `until ${view.endDateTime}`;
  return `'${view.roleDisplayName}' at '${view.directoryScopeId}', ${through}, ${until}`;
}

/** The decision for one question, from the subject's holdings and the roles they name. */
export function decideAccess(question: AccessQuestion, facts: DecisionFacts): AccessDecision {
  const roles: RolesById = new Map(facts.roles.map((r) => [r.id.toLowerCase(), r]));
  const grant = best(covering(question, facts, roles, 'assignment'));
  if (grant) {
    const view = viewOf(grant, facts.groupNames);
    const what = grant.held.schedule.assignmentType === 'Activated' ? 'an activation' : 'an active assignment';
    return {
      decision: true,
      context: {
        reason: `${capitalized(subjectLabel(question.subject))} may perform '${question.action}' at '${question.scope}' through ${what} of ${how(view)}.`,
        grant: { ...view, assignmentType: grant.held.schedule.assignmentType },
      },
    };
  }
  const denied = `No active assignment grants '${question.action}' at '${question.scope}' to ${subjectLabel(question.subject)} at ${facts.now.toISOString()}`;
  const eligible = best(covering(question, facts, roles, 'eligibility'));
  if (!eligible) return { decision: false, context: { reason: `${denied}.` } };
  const view = viewOf(eligible, facts.groupNames);
  return { decision: false, context: { reason: `${denied}; it is eligible for ${how(view)} — activate it.`, eligibility: view } };
}

/**
 * Stint's own powers, asked as the action `stint/<Permission>` (e.g. `stint/roleAssignments.manage`) at a
 * scope: what the portal asks at sign-in to know which Manage pages to show. Decided by `isAllowed`, the
 * very gate every administrative operation passes (shared/services/authorize.ts), over the same active
 * assignments in force, so the answer is the API's own.
 */
export const STINT_ACTION_NAMESPACE = 'stint/';

/** The permission a `stint/…` action names; undefined for any other action (or an unknown permission). */
export function stintPermissionOf(action: string): Permission | undefined {
  if (!action.startsWith(STINT_ACTION_NAMESPACE)) return undefined;
  const name = action.slice(STINT_ACTION_NAMESPACE.length);
  return (PERMISSION_NAMES as readonly string[]).includes(name) ? (name as Permission) : undefined;
}

export function decideStintPermission(question: AccessQuestion, permission: Permission, facts: Omit<DecisionFacts, 'roles'>): AccessDecision {
  const inForce = (held: HeldSchedule, kind: HeldSchedule['schedule']['kind']) =>
    held.schedule.kind === kind && isInForce(held.schedule, facts.now) && (!held.viaMembership || isInForce(held.viaMembership, facts.now));
  const heldRole = (held: HeldSchedule): HeldRole => ({ roleDefinitionId: held.schedule.roleDefinitionId, directoryScopeId: held.schedule.directoryScopeId });
  const ofKind = (kind: HeldSchedule['schedule']['kind']) => facts.holdings.filter((held) => inForce(held, kind));
  const granting = (kind: HeldSchedule['schedule']['kind']) =>
    ofKind(kind)
      .filter((held) => isAllowed([heldRole(held)], permission, question.scope))
      .map((held) => ({ held, role: { displayName: roleNameOf(held.schedule.roleDefinitionId) } }));
  const allowed = isAllowed(ofKind('assignment').map(heldRole), permission, question.scope);
  const grant = allowed ? best(granting('assignment')) : undefined;
  if (grant) {
    const view = viewOf(grant, facts.groupNames);
    const what = grant.held.schedule.assignmentType === 'Activated' ? 'an activation' : 'an active assignment';
    return {
      decision: true,
      context: {
        reason: `${capitalized(subjectLabel(question.subject))} may use Stint's '${permission}' at '${question.scope}' through ${what} of ${how(view)}.`,
        grant: { ...view, assignmentType: grant.held.schedule.assignmentType },
      },
    };
  }
  const denied =
    `No active assignment gives ${subjectLabel(question.subject)} Stint's '${permission}' at '${question.scope}' at ${facts.now.toISOString()}; ` +
    `it needs an active assignment of one of: ${roleNamesGranting(permission).join(', ')}`;
  const eligible = best(granting('eligibility'));
  if (!eligible) return { decision: false, context: { reason: `${denied}.` } };
  const view = viewOf(eligible, facts.groupNames);
  return { decision: false, context: { reason: `${denied}. It is eligible for ${how(view)} — activate it.`, eligibility: view } };
}

function roleNameOf(roleDefinitionId: string): string {
  if (roleDefinitionId === GROUP_OWNER) return "the group's owner";
  return findBuiltinRole(roleDefinitionId)?.displayName ?? roleDefinitionId;
}

/** Whether a directory object of `kind` ('user', 'group', …) is a principal of the asked subject type. */
export function isPrincipalOfType(type: SubjectType, kind: string): boolean {
  return PRINCIPAL_KINDS.includes(kind) && (type === 'identity' || type === kind);
}

/** Whether an id could name a principal of this type, judged from its prefix alone (no read). */
export function idMayBe(type: SubjectType, id: string): boolean {
  const kind = kindOfId(id);
  return kind === undefined || isPrincipalOfType(type, kind);
}

/** The answer about a principal the directory does not have (or not of the asked type). */
export function unknownPrincipal(subject: Subject): AccessDecision {
  return { decision: false, context: { reason: `Unknown principal: no ${nounOf(subject.type)} with id '${subject.id}' exists in the directory.` } };
}

/** The answer about a principal whose account is disabled: what it holds is not in force while it is. */
export function disabledPrincipal(subject: Subject): AccessDecision {
  return {
    decision: false,
    context: {
      reason: `Disabled principal: the ${nounOf(subject.type)} with id '${subject.id}' is disabled (accountEnabled is false), so nothing it holds grants access.`,
    },
  };
}

/**
 * AuthZEN's evaluations semantics: every decision in order, or stop after the first deny (`&&`) or
 * after the first permit (`||`), that decision included.
 */
export function applySemantic<T extends { decision: boolean }>(decisions: readonly T[], semantic: EvaluationsSemantic): T[] {
  if (semantic === 'execute_all') return [...decisions];
  const stop = decisions.findIndex((d) => (semantic === 'deny_on_first_deny' ? !d.decision : d.decision));
  return stop < 0 ? [...decisions] : decisions.slice(0, stop + 1);
}
