import { describe, expect, it } from 'vitest';
import {
  applySemantic,
  decideAccess,
  idMayBe,
  isPrincipalOfType,
  unknownPrincipal,
  type AccessQuestion,
  type DecisionFacts,
  type HeldSchedule,
  type SubjectType,
} from '../../../shared/domain/access-decision.ts';
import { BUILTIN_ROLE_IDS as R, findBuiltinRole, type RoleDefinition } from '../../../shared/domain/builtin-roles.ts';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
const HOUR = 3_600_000;

const USER = { type: 'user' as const, id: 'usr_01JKAI00000000000000000000' };
const GROUP_ID = 'grp_01JPLATFORM0000000000000000';

function builtin(id: string): RoleDefinition {
  const role = findBuiltinRole(id);
  if (!role) throw new Error(`no built-in role ${id}`);
  return role;
}

const customRole = (id: string, actions: string[], condition: string | null = null): RoleDefinition => ({
  id,
  templateId: id,
  displayName: `Custom ${id}`,
  description: '',
  isBuiltIn: false,
  isEnabled: true,
  isPrivileged: false,
  version: null,
  resourceScopes: ['/'],
  rolePermissions: [{ allowedResourceActions: actions, condition }],
  kind: 'directory',
});

const ROLES: RoleDefinition[] = [
  ...[R.globalAdministrator, R.userAdministrator, R.globalReader, R.owner, R.contributor, R.reader].map(builtin),
  customRole('rol_PASSWORDS', ['microsoft.directory/users/password/update']),
  customRole('rol_CONDITIONAL', ['microsoft.directory/users/password/update'], '@Resource[dir:id] eq 1'),
];

interface HeldSpec {
  id?: string;
  kind?: 'assignment' | 'eligibility';
  role: string;
  scope?: string;
  start?: string;
  end?: string | null;
  via?: string;
  assignmentType?: 'Assigned' | 'Activated' | null;
}

let counter = 0;
function held(spec: HeldSpec): HeldSchedule {
  const kind = spec.kind ?? 'assignment';
  return {
    schedule: {
      id: spec.id ?? `req_${String(++counter).padStart(26, '0')}`,
      kind,
      roleDefinitionId: spec.role,
      directoryScopeId: spec.scope ?? '/',
      assignmentType: spec.assignmentType === undefined ? (kind === 'assignment' ? 'Assigned' : null) : spec.assignmentType,
      startDateTime: spec.start ?? at(-HOUR),
      endDateTime: spec.end === undefined ? null : spec.end,
    },
    ...(spec.via ? { viaGroupId: spec.via } : {}),
  };
}

function facts(holdings: HeldSchedule[], groupNames: [string, string | null][] = [[GROUP_ID, 'Platform Engineering']]): DecisionFacts {
  return { holdings, roles: ROLES, groupNames: new Map(groupNames), now: NOW };
}

const ask = (action: string, scope = '/', subject = USER): AccessQuestion => ({ subject, action, scope });

const PASSWORD = 'microsoft.directory/users/password/update';

describe('decideAccess: direct and through a group', () => {
  it('allows through a direct permanent assignment and names it', () => {
    const h = held({ role: R.globalAdministrator });
    const result = decideAccess(ask(PASSWORD), facts([h]));
    expect(result).toEqual({
      decision: true,
      context: {
        reason: expect.stringContaining("through an active assignment of 'Global Administrator' at '/', held directly, with no end"),
        grant: {
          scheduleId: h.schedule.id,
          roleDefinitionId: R.globalAdministrator,
          roleDisplayName: 'Global Administrator',
          directoryScopeId: '/',
          assignmentType: 'Assigned',
          memberType: 'Direct',
          viaGroup: null,
          startDateTime: h.schedule.startDateTime,
          endDateTime: null,
        },
      },
    });
  });

  it('allows through a group, naming the group and the end', () => {
    const h = held({ role: R.userAdministrator, via: GROUP_ID, end: at(2 * HOUR) });
    const result = decideAccess(ask(PASSWORD), facts([h]));
    expect(result.decision).toBe(true);
    expect(result.context).toMatchObject({
      reason: expect.stringContaining(`held through group 'Platform Engineering', until ${at(2 * HOUR)}`),
      grant: {
        memberType: 'Group',
        viaGroup: { id: GROUP_ID, displayName: 'Platform Engineering' },
        endDateTime: at(2 * HOUR),
        roleDisplayName: 'User Administrator',
      },
    });
  });

  it('names a group that is gone by its id, with a null displayName', () => {
    const result = decideAccess(ask(PASSWORD), facts([held({ role: R.globalAdministrator, via: GROUP_ID })], []));
    expect(result.context).toMatchObject({
      reason: expect.stringContaining(`through group '${GROUP_ID}'`),
      grant: { viaGroup: { id: GROUP_ID, displayName: null } },
    });
  });

  it('says "activation" for an activated assignment', () => {
    const result = decideAccess(ask(PASSWORD), facts([held({ role: R.userAdministrator, assignmentType: 'Activated', end: at(HOUR) })]));
    expect(result).toMatchObject({
      decision: true,
      context: { reason: expect.stringContaining('through an activation of'), grant: { assignmentType: 'Activated' } },
    });
  });

  it('denies with nothing held, saying what, where and when', () => {
    expect(decideAccess(ask(PASSWORD), facts([]))).toEqual({
      decision: false,
      context: { reason: `No active assignment grants '${PASSWORD}' at '/' to user '${USER.id}' at ${NOW.toISOString()}.` },
    });
  });
});

describe('decideAccess: scope', () => {
  const READ = 'Microsoft.Compute/virtualMachines/read';
  it.each([
    ['/subscriptions/a', '/subscriptions/a', true],
    ['/subscriptions/a', '/subscriptions/a/resourceGroups/b', true],
    ['/subscriptions/a', '/subscriptions/a/resourceGroups/b/providers/Microsoft.Compute/virtualMachines/vm1', true],
    ['/subscriptions/a', '/SUBSCRIPTIONS/A/resourceGroups/B', true],
    ['/', '/subscriptions/a/resourceGroups/b', true],
    ['/subscriptions/a/resourceGroups/b', '/subscriptions/a', false],
    ['/subscriptions/a', '/subscriptions/ab', false],
    ['/subscriptions/a', '/subscriptions/b/resourceGroups/a', false],
    ['/subscriptions/a', '/', false],
  ])('Reader at %s, asked at %s: %s', (held_at, asked, allowed) => {
    expect(decideAccess(ask(READ, asked), facts([held({ role: R.reader, scope: held_at })])).decision).toBe(allowed);
  });

  it('allows a directory role at an administrative unit there, not at the tenant', () => {
    const h = held({ role: 'rol_PASSWORDS', scope: '/administrativeUnits/au1' });
    expect(decideAccess(ask(PASSWORD, '/administrativeUnits/au1'), facts([h])).decision).toBe(true);
    expect(decideAccess(ask(PASSWORD, '/'), facts([h])).decision).toBe(false);
  });
});

describe('decideAccess: time', () => {
  it.each([
    ['ends one millisecond from now', { end: at(1) }, true],
    ['ends exactly now', { end: at(0) }, false],
    ['ended an hour ago', { start: at(-2 * HOUR), end: at(-HOUR) }, false],
    ['starts exactly now', { start: at(0), end: at(HOUR) }, true],
    ['starts one millisecond from now (not yet started)', { start: at(1), end: at(HOUR) }, false],
    ['is permanent', { end: null }, true],
  ])('an assignment that %s: %s', (_, window, allowed) => {
    expect(decideAccess(ask(PASSWORD), facts([held({ role: R.globalAdministrator, ...window })])).decision).toBe(allowed);
  });
});

describe('decideAccess: actions', () => {
  const SCOPE = '/subscriptions/a';
  it.each([
    // Owner: '*'
    [R.owner, 'Microsoft.Authorization/roleAssignments/write', true],
    [R.owner, 'Microsoft.Compute/virtualMachines/delete', true],
    // Reader: '*/read'
    [R.reader, 'Microsoft.Storage/storageAccounts/read', true],
    [R.reader, 'Microsoft.Storage/storageAccounts/write', false],
    // Contributor: '*' minus Azure's NotActions
    [R.contributor, 'Microsoft.Compute/virtualMachines/write', true],
    [R.contributor, 'Microsoft.Authorization/roleAssignments/read', true],
    [R.contributor, 'Microsoft.Authorization/roleAssignments/write', false],
    [R.contributor, 'Microsoft.Authorization/roleAssignments/delete', false],
    [R.contributor, 'Microsoft.Authorization/elevateAccess/Action', false],
    [R.contributor, 'Microsoft.Subscription/cancel/action', false],
    // Resource roles never reach Entra's directory namespace, whatever their wildcard.
    [R.owner, PASSWORD, false],
  ])('role %s at %s: %s', (role, action, allowed) => {
    expect(decideAccess(ask(action, SCOPE), facts([held({ role, scope: SCOPE })])).decision).toBe(allowed);
  });

  it.each([
    // Entra's reserved words: allProperties/allTasks cover a property update and a verb.
    [R.globalAdministrator, 'microsoft.directory/users/password/update', true],
    [R.globalAdministrator, 'MICROSOFT.DIRECTORY/USERS/PASSWORD/UPDATE', true],
    [R.globalAdministrator, 'microsoft.directory/users/create', true],
    [R.globalReader, 'microsoft.directory/users/password/update', false],
    [R.userAdministrator, 'microsoft.directory/roleAssignments/allProperties/allTasks', false],
    ['rol_PASSWORDS', PASSWORD, true],
    // A conditional permission cannot be judged without a target, so it does not count.
    ['rol_CONDITIONAL', PASSWORD, false],
    // A role the holdings name but that no longer exists grants nothing.
    ['rol_DELETED', PASSWORD, false],
  ])('directory role %s asked %s: %s', (role, action, allowed) => {
    expect(decideAccess(ask(action), facts([held({ role })])).decision).toBe(allowed);
  });

  it('matches role ids without regard to case', () => {
    expect(decideAccess(ask(PASSWORD), facts([held({ role: R.globalAdministrator.toUpperCase() })])).decision).toBe(true);
  });

  it('an Owner at the tenant root still may not reset passwords', () => {
    expect(decideAccess(ask(PASSWORD), facts([held({ role: R.owner, scope: '/' })])).decision).toBe(false);
  });
});

describe('decideAccess: which grant is named', () => {
  const pick = (holdings: HeldSchedule[]) => {
    const result = decideAccess(ask(PASSWORD), facts(holdings));
    if (!result.decision) throw new Error('expected an allow');
    return result.context.grant.scheduleId;
  };

  it('permanent beats time-bound, whatever the order', () => {
    const timebound = held({ id: 'req_A', role: R.globalAdministrator, end: at(HOUR) });
    const permanent = held({ id: 'req_B', role: R.userAdministrator, via: GROUP_ID });
    expect(pick([timebound, permanent])).toBe('req_B');
    expect(pick([permanent, timebound])).toBe('req_B');
  });

  it('the later end wins among time-bound ones', () => {
    expect(pick([held({ id: 'req_A', role: R.globalAdministrator, end: at(HOUR) }), held({ id: 'req_B', role: R.userAdministrator, end: at(2 * HOUR) })])).toBe(
      'req_B',
    );
  });

  it('direct beats a group when they end together', () => {
    expect(pick([held({ id: 'req_A', role: R.globalAdministrator, via: GROUP_ID }), held({ id: 'req_B', role: R.userAdministrator })])).toBe('req_B');
  });

  it('ignores instances that do not grant the action, are elsewhere or are not in force', () => {
    const holdings = [
      held({ id: 'req_A', role: R.globalReader }),
      held({ id: 'req_B', role: R.globalAdministrator, end: at(0) }),
      held({ id: 'req_C', role: R.globalAdministrator, start: at(1) }),
      held({ id: 'req_D', role: R.globalAdministrator, kind: 'eligibility' }),
      held({ id: 'req_E', role: R.userAdministrator, end: at(5) }),
    ];
    expect(pick(holdings)).toBe('req_E');
  });
});

describe('decideAccess: eligibility on deny', () => {
  it('points at an eligibility that would grant it, telling to activate it', () => {
    const eligible = held({ kind: 'eligibility', role: R.userAdministrator, via: GROUP_ID, end: at(24 * HOUR) });
    const result = decideAccess(ask(PASSWORD), facts([eligible, held({ role: R.globalReader })]));
    expect(result).toEqual({
      decision: false,
      context: {
        reason: `No active assignment grants '${PASSWORD}' at '/' to user '${USER.id}' at ${NOW.toISOString()}; it is eligible for 'User Administrator' at '/', held through group 'Platform Engineering', until ${at(24 * HOUR)} — activate it.`,
        eligibility: {
          scheduleId: eligible.schedule.id,
          roleDefinitionId: R.userAdministrator,
          roleDisplayName: 'User Administrator',
          directoryScopeId: '/',
          memberType: 'Group',
          viaGroup: { id: GROUP_ID, displayName: 'Platform Engineering' },
          startDateTime: eligible.schedule.startDateTime,
          endDateTime: at(24 * HOUR),
        },
      },
    });
  });

  it.each([
    ['of a role without the action', { role: R.globalReader }],
    ['at another scope', { role: 'rol_PASSWORDS', scope: '/administrativeUnits/au1' }],
    ['that has ended', { role: R.userAdministrator, end: at(0) }],
    ['that has not started', { role: R.userAdministrator, start: at(1) }],
  ])('says nothing of an eligibility %s', (_, spec) => {
    const result = decideAccess(ask(PASSWORD), facts([held({ kind: 'eligibility', ...spec })]));
    expect(result).toEqual({ decision: false, context: { reason: expect.not.stringContaining('eligible') } });
  });
});

describe('subject types', () => {
  it.each<[SubjectType, string, boolean]>([
    ['user', 'user', true],
    ['user', 'group', false],
    ['group', 'group', true],
    ['servicePrincipal', 'servicePrincipal', true],
    ['servicePrincipal', 'user', false],
    ['identity', 'user', true],
    ['identity', 'group', true],
    ['identity', 'servicePrincipal', true],
    ['identity', 'roleDefinition', false],
    ['user', 'roleDefinition', false],
  ])('a %s subject and a %s object: %s', (type, kind, fits) => {
    expect(isPrincipalOfType(type, kind)).toBe(fits);
  });

  it.each<[SubjectType, string, boolean]>([
    ['user', 'usr_01J00000000000000000000000', true],
    ['user', 'grp_01J00000000000000000000000', false],
    ['group', 'grp_01J00000000000000000000000', true],
    ['servicePrincipal', 'spn_01J00000000000000000000000', true],
    ['identity', 'spn_01J00000000000000000000000', true],
    ['identity', 'rol_01J00000000000000000000000', false],
    // Not one of our ids: the prefix cannot tell, so the directory has to.
    ['user', 'system', true],
  ])('a %s subject with id %s may exist: %s', (type, id, fits) => {
    expect(idMayBe(type, id)).toBe(fits);
  });

  it('answers an unknown principal with a reason, not an error', () => {
    expect(unknownPrincipal({ type: 'servicePrincipal', id: 'spn_x' })).toEqual({
      decision: false,
      context: { reason: "Unknown principal: no service principal with id 'spn_x' exists in the directory." },
    });
  });
});

describe('applySemantic', () => {
  const d = (...values: boolean[]) => values.map((decision, i) => ({ decision, i }));
  it.each([
    ['execute_all', [true, false, true], [0, 1, 2]],
    ['deny_on_first_deny', [true, false, true], [0, 1]],
    ['deny_on_first_deny', [true, true], [0, 1]],
    ['permit_on_first_permit', [false, true, false], [0, 1]],
    ['permit_on_first_permit', [false, false], [0, 1]],
    ['permit_on_first_permit', [true, true], [0]],
  ] as const)('%s over %j keeps %j', (semantic, decisions, kept) => {
    expect(applySemantic(d(...decisions), semantic).map((x) => x.i)).toEqual(kept);
  });
});
