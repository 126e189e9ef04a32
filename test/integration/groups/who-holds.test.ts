/**
 * Who holds a role, listed by role: beside the group's own instance, one instance per member who holds
 * it through the group right now (memberType Group, as Graph shows them), a PIM for groups member only
 * until the membership ends; the plain roleAssignments view stays direct only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { BASE, customRole, filter, HOUR, list, makeActive, makeEligible, newGroup, newUsers, startRolesStack, type Ctx } from '../roles/helpers.ts';
import { activateGroup, makeGroupEligible } from './helpers.ts';

describe('who holds a role, through groups', () => {
  const clock = new ManualClock('2032-05-01T09:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  const byRole = (collection: string, role: string) => list(ctx, `${BASE}/${collection}?${filter(`roleDefinitionId eq '${role}'`)}`);
  const shape = (instances: any[]) =>
    instances.map((i) => [i.principalId, i.memberType, i.endDateTime]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it("lists a group's standing and PIM members with the group's active assignment, each PIM one until its membership ends", async () => {
    // Prepare: Alice a standing member, Bob a member through a two-hour PIM activation, Carol only eligible for it
    const role = await customRole(ctx, 'HeldThrough');
    const [alice, bob, carol] = await newUsers(ctx, 3, 'holder');
    const group = await newGroup(ctx, 'holders', { roleAssignable: true, members: [alice!] });
    const assignment = await makeActive(ctx, group.id, role);
    await makeGroupEligible(ctx, bob!.id, group.id);
    await makeGroupEligible(ctx, carol!.id, group.id);
    expect((await activateGroup(ctx, bob!, group.id, { duration: 'PT2H' })).status).toBe(201);
    const end = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
    // Act
    const instances = await byRole('roleAssignmentScheduleInstances', role);
    // Assess
    expect(shape(instances)).toEqual(
      shape([
        { principalId: group.id, memberType: 'Direct', endDateTime: null },
        { principalId: alice!.id, memberType: 'Group', endDateTime: null },
        { principalId: bob!.id, memberType: 'Group', endDateTime: end },
      ]),
    );
    for (const i of instances) expect(i).toMatchObject({ roleDefinitionId: role, roleAssignmentScheduleId: assignment.id, assignmentType: 'Assigned' });
    const members = await list(ctx, `${BASE}/roleAssignmentScheduleInstances?${filter(`roleDefinitionId eq '${role}' and memberType eq 'Group'`)}`);
    expect(members.map((i) => i.principalId).sort()).toEqual([alice!.id, bob!.id].sort());
    // roleAssignments are Graph's direct assignments only
    expect((await byRole('roleAssignments', role)).map((a) => a.principalId)).toEqual([group.id]);
    // Act: the membership ends
    clock.advance(2 * HOUR);
    // Assess
    expect(shape(await byRole('roleAssignmentScheduleInstances', role))).toEqual(
      shape([
        { principalId: group.id, memberType: 'Direct', endDateTime: null },
        { principalId: alice!.id, memberType: 'Group', endDateTime: null },
      ]),
    );
  });

  it("lists a group's members with the group's eligibility, and no one for an empty group", async () => {
    // Prepare
    const role = await customRole(ctx, 'EligibleThrough');
    const [dana, erin] = await newUsers(ctx, 2, 'eligible');
    const group = await newGroup(ctx, 'eligibles', { roleAssignable: true, members: [dana!, erin!] });
    const empty = await newGroup(ctx, 'empty', { roleAssignable: true });
    await makeEligible(ctx, group.id, role);
    await makeEligible(ctx, empty.id, role);
    // Act
    const instances = await byRole('roleEligibilityScheduleInstances', role);
    // Assess
    expect(shape(instances)).toEqual(
      shape([
        { principalId: group.id, memberType: 'Direct', endDateTime: null },
        { principalId: empty.id, memberType: 'Direct', endDateTime: null },
        { principalId: dana!.id, memberType: 'Group', endDateTime: null },
        { principalId: erin!.id, memberType: 'Group', endDateTime: null },
      ]),
    );
  });
});
