/**
 * evaluateAccess against a fake table (aws-sdk-client-mock): what it reads, and how often. The decision
 * rule itself is tested in test/unit/domain/access-decision.test.ts; the whole path against DynamoDB
 * Local in test/integration/api/access-decisions.test.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type BatchGetCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_ROLE_IDS as R } from '../../../shared/domain/builtin-roles.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { ForbiddenError } from '../../../shared/domain/errors.ts';
import type { Schedule } from '../../../shared/domain/schedule.ts';
import { evaluateAccess } from '../../../shared/services/access-decisions.ts';
import { forgetRoleDefinition } from '../../../shared/services/recent-role-definitions.ts';
import type { Services } from '../../../shared/services/context.ts';
import { PageTokens } from '../../../shared/store/page-token.ts';

const TABLE = 'stint-unit';
const ddb = mockClient(DynamoDBDocumentClient);
const clock = new ManualClock('2030-01-01T12:00:00.000Z');
const svc: Services = {
  table: { db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: TABLE },
  clock,
  pageTokens: new PageTokens('unit'),
};

const ADA = 'usr_01JADA0000000000000000000A';
const KAI = 'usr_01JKAI0000000000000000000K';
const RITA = 'usr_01JR1TA000000000000000000R';
const PLATFORM = 'grp_01JPLATF0RM00000000000000P';
const CUSTOM = 'rol_01JPASSW0RDS0000000000000C';
const PASSWORD = 'microsoft.directory/users/password/update';

const me = (id: string): Caller => ({ kind: 'user', id, authMethods: ['pwd', 'mfa'] });

/** The fake directory: schedules by principal, memberships, and objects by id. */
let schedules: Record<string, Schedule[]>;
let memberOf: Record<string, string[]>;
let objects: Record<string, { type: string; data: Record<string, unknown> }>;

function schedule(principalId: string, roleDefinitionId: string, extra: Partial<Schedule> = {}): Schedule {
  return {
    id: `req_${principalId.slice(4)}${roleDefinitionId.slice(0, 4)}`,
    kind: 'assignment',
    principalId,
    principalType: principalId.startsWith('grp_') ? 'group' : 'user',
    roleDefinitionId,
    directoryScopeId: '/',
    appScopeId: null,
    memberType: 'Direct',
    assignmentType: 'Assigned',
    status: 'Provisioned',
    createdUsing: 'req_x',
    createdDateTime: '2029-01-01T00:00:00.000Z',
    modifiedDateTime: null,
    startDateTime: '2029-01-01T00:00:00.000Z',
    endDateTime: null,
    expirationType: 'noExpiration',
    duration: null,
    activatedUsing: null,
    ...extra,
  };
}

function answerQuery(input: QueryCommandInput) {
  const pk = String(input.ExpressionAttributeValues?.[':pk']);
  if (pk.startsWith('PRN#')) {
    // A whole-partition query (no sort-key prefix) also returns the principal's membership mirrors.
    const prefix = String(input.ExpressionAttributeValues?.[':prefix'] ?? '');
    const kindOf = (s: Schedule) => `SCHED#${s.kind === 'eligibility' ? 'E' : 'A'}#`;
    const items = (schedules[pk.slice(4)] ?? [])
      .filter((s) => kindOf(s).startsWith(prefix))
      .map((s) => ({ pk, sk: `${kindOf(s)}${s.id}`, version: 1, data: s }));
    const mirrors = prefix === '' ? (memberOf[pk.slice(4)] ?? []).map((groupId) => ({ pk, sk: `MEMBEROF#${groupId}`, groupId })) : [];
    return { Items: [...items, ...mirrors] };
  }
  throw new Error(`unexpected query ${JSON.stringify(input)}`);
}

function answerBatchGet(input: BatchGetCommandInput) {
  const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
  const items = keys.flatMap((key) => {
    const id = String(key.pk).slice('OBJ#'.length);
    const found = objects[id];
    return found ? [{ pk: key.pk, sk: 'OBJ', type: found.type, version: 1, data: { id, ...found.data } }] : [];
  });
  return { Responses: { [TABLE]: items } };
}

const queries = () =>
  ddb
    .commandCalls(QueryCommand)
    .map((c) => String(c.args[0].input.ExpressionAttributeValues?.[':pk']))
    .sort();
const batchGets = () => ddb.commandCalls(BatchGetCommand).map((c) => (c.args[0].input.RequestItems?.[TABLE]?.Keys ?? []).map((k) => String(k.pk)).sort());

beforeEach(() => {
  forgetRoleDefinition();
  ddb.reset();
  ddb.on(QueryCommand).callsFake(answerQuery);
  ddb.on(BatchGetCommand).callsFake(answerBatchGet);
  clock.set('2030-01-01T12:00:00.000Z');
  schedules = {
    [ADA]: [schedule(ADA, R.globalAdministrator)],
    [PLATFORM]: [schedule(PLATFORM, CUSTOM, { endDateTime: '2030-01-01T13:00:00.000Z', expirationType: 'afterDateTime' })],
    [RITA]: [schedule(RITA, R.globalReader)],
  };
  memberOf = { [KAI]: [PLATFORM] };
  objects = {
    [ADA]: { type: 'user', data: { displayName: 'Ada Admin' } },
    [KAI]: { type: 'user', data: { displayName: 'Kai Tanaka' } },
    [RITA]: { type: 'user', data: { displayName: 'Rita Reader' } },
    [PLATFORM]: { type: 'group', data: { displayName: 'Platform Engineering' } },
    [CUSTOM]: {
      type: 'roleDefinition',
      data: {
        templateId: CUSTOM,
        displayName: 'Password Resetter',
        description: '',
        isBuiltIn: false,
        isEnabled: true,
        isPrivileged: false,
        version: null,
        resourceScopes: ['/'],
        rolePermissions: [{ allowedResourceActions: [PASSWORD], condition: null }],
        kind: 'directory',
      },
    },
  };
});
afterAll(() => ddb.restore());

const question = (id: string, type: 'user' | 'group' | 'servicePrincipal' | 'identity' = 'user', action = PASSWORD, scope = '/') => ({
  subject: { type, id },
  action,
  scope,
});

describe('evaluateAccess', () => {
  it('answers a caller about itself from one query of its own partition (memberships are mirrored there), when built-in roles grant it', async () => {
    const [decision] = await evaluateAccess(svc, me(ADA), [question(ADA)]);
    expect(decision).toMatchObject({ decision: true, context: { grant: { roleDisplayName: 'Global Administrator', memberType: 'Direct' } } });
    expect(queries()).toEqual([`PRN#${ADA}`]);
    expect(batchGets()).toEqual([]);
  });

  it('reads the custom role and the group name in two parallel BatchGets', async () => {
    const [decision] = await evaluateAccess(svc, me(KAI), [question(KAI)]);
    expect(decision).toMatchObject({
      decision: true,
      context: {
        grant: {
          roleDisplayName: 'Password Resetter',
          memberType: 'Group',
          viaGroup: { id: PLATFORM, displayName: 'Platform Engineering' },
          endDateTime: '2030-01-01T13:00:00.000Z',
        },
      },
    });
    expect(queries()).toEqual([`PRN#${KAI}`, `PRN#${PLATFORM}`].sort());
    expect(batchGets().sort()).toEqual([[`OBJ#${CUSTOM}`], [`OBJ#${PLATFORM}`]].sort());
  });

  it('reads each subject once for a whole batch', async () => {
    const decisions = await evaluateAccess(svc, me(KAI), [
      question(KAI),
      question(KAI, 'user', 'microsoft.directory/users/delete'),
      question(KAI, 'user', PASSWORD, '/administrativeUnits/au1'),
    ]);
    expect(decisions.map((d) => d.decision)).toEqual([true, false, true]);
    expect(queries()).toEqual([`PRN#${KAI}`, `PRN#${PLATFORM}`].sort());
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('reads a custom role once for the decisions of the next 10 s, and again once it was changed in this process', async () => {
    await evaluateAccess(svc, me(KAI), [question(KAI)]);
    await evaluateAccess(svc, me(KAI), [question(KAI)]);
    expect(batchGets().filter((keys) => keys.includes(`OBJ#${CUSTOM}`))).toHaveLength(1);
    forgetRoleDefinition(CUSTOM);
    await evaluateAccess(svc, me(KAI), [question(KAI)]);
    expect(batchGets().filter((keys) => keys.includes(`OBJ#${CUSTOM}`))).toHaveLength(2);
  });

  it('follows the injected clock: denied from the exact end instant on', async () => {
    clock.set('2030-01-01T12:59:59.999Z');
    expect((await evaluateAccess(svc, me(KAI), [question(KAI)]))[0]!.decision).toBe(true);
    clock.set('2030-01-01T13:00:00.000Z');
    const [after] = await evaluateAccess(svc, me(KAI), [question(KAI)]);
    expect(after).toEqual({ decision: false, context: { reason: expect.stringContaining('at 2030-01-01T13:00:00.000Z') } });
  });

  it('tells an unknown principal from one that holds nothing, reading each subject but the caller in the same BatchGet', async () => {
    const unknown = 'usr_01JN0B0DY00000000000000000';
    const decisions = await evaluateAccess(svc, me(ADA), [
      question(unknown),
      question(RITA, 'user', 'microsoft.directory/users/delete'),
      question(KAI, 'identity', PASSWORD),
    ]);
    expect(decisions[0]).toEqual({ decision: false, context: { reason: `Unknown principal: no user with id '${unknown}' exists in the directory.` } });
    expect(decisions[1]).toMatchObject({ decision: false, context: { reason: expect.stringMatching(/^No active assignment grants/) } });
    expect(decisions[2]!.decision).toBe(true);
    // Then, in parallel, the custom role, and the group's name together with the subjects (each may be disabled or gone).
    expect(batchGets().sort()).toEqual([[`OBJ#${CUSTOM}`], [`OBJ#${PLATFORM}`, `OBJ#${unknown}`, `OBJ#${RITA}`, `OBJ#${KAI}`].sort()].sort());
  });

  it('says "unknown principal" for an id of another type, reading nothing about it when its prefix tells', async () => {
    const [asUser] = await evaluateAccess(svc, me(ADA), [question(PLATFORM, 'user')]);
    expect(asUser).toEqual({ decision: false, context: { reason: `Unknown principal: no user with id '${PLATFORM}' exists in the directory.` } });
    // Only the caller's own roles were read (asking about another principal needs a reader role).
    expect(queries()).toEqual([`PRN#${ADA}`]);
    expect(batchGets()).toEqual([]);

    const [asGroup] = await evaluateAccess(svc, me(ADA), [question(PLATFORM, 'group')]);
    expect(asGroup!.decision).toBe(true);
  });

  it('says "unknown principal" when the object the id names is not of the asked type', async () => {
    const foreign = 'ext-0001';
    objects[foreign] = { type: 'group', data: { displayName: 'Imported' } };
    const [asUser, asIdentity] = await evaluateAccess(svc, me(ADA), [question(foreign, 'user'), question(foreign, 'identity')]);
    expect(asUser).toEqual({ decision: false, context: { reason: `Unknown principal: no user with id '${foreign}' exists in the directory.` } });
    expect(asIdentity).toEqual({ decision: false, context: { reason: expect.stringMatching(/^No active assignment grants/) } });
  });

  it('refuses to answer about others without a reader role, and answers with one', async () => {
    await expect(evaluateAccess(svc, me(KAI), [question(ADA)])).rejects.toThrow(/Global Administrator, Security Administrator, Global Reader, Security Reader/);
    await expect(evaluateAccess(svc, me(KAI), [question(KAI), question(ADA)])).rejects.toBeInstanceOf(ForbiddenError);
    const [about] = await evaluateAccess(svc, me(RITA), [question(ADA)]);
    expect(about!.decision).toBe(true);
  });
});
