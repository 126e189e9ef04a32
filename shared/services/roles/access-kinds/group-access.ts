/** PIM for groups: membership or ownership of a group, held as the pseudo-roles member|owner at /groups/{id}. */
import { BadRequestError } from '../../../domain/errors.ts';
import { groupScope, isGroupAccess } from '../../../domain/group-access.ts';
import { GROUP_COLLECTIONS, GROUP_REQUEST_COLLECTIONS, groupRequestView, groupScheduleView } from '../read-models/group-views.ts';
import { expandActivatedUsing, linkActivatedUsing } from '../read-models/activated-using.ts';
import { parseExpand } from '../read-models/expand.ts';
import { directoryObjects } from '../../directory/groups.ts';
import type { AccessKind } from './access-kind.ts';

export const GROUP_ACCESS: AccessKind = {
  name: 'group',
  owns: isGroupAccess,
  // The route builds the scope from the group id: it is always a group's.
  checkScope() {},
  targetNotFound: (_, scope) => new BadRequestError(`groupId '${scope.slice(groupScope('').length)}' is not a group in the directory.`, 'GroupNotFound'),
  checkPrincipal(principal, target) {
    if (principal.type === 'servicePrincipal') {
      throw new BadRequestError('Only users and groups can be members or owners of a group through PIM for groups.', 'InvalidPrincipal');
    }
    if (principal.id === target.group?.id) throw new BadRequestError('A group cannot be a member or owner of itself.', 'InvalidPrincipal');
    if (principal.type === 'group' && target.group?.isAssignableToRole) {
      // As in Entra: nesting a group inside a role-assignable group would hand its roles on invisibly.
      throw new BadRequestError(`Group '${target.group.displayName}' can be assigned to roles, so groups cannot be its members or owners.`, 'InvalidPrincipal');
    }
  },
  scheduleView: (s, view, memberType, principalId) => linkActivatedUsing(groupScheduleView(s, view, memberType, principalId), s.activatedUsing, view),
  requestView: (r) => linkActivatedUsing(groupRequestView(r), r.activatedUsing, 'schedules'),
  collection: (kind, view) => (view === 'requests' ? GROUP_REQUEST_COLLECTIONS[kind] : GROUP_COLLECTIONS[kind][view]),
  expander(expand) {
    const wanted = parseExpand(expand, ['activatedUsing', 'group', 'principal'] as const);
    return async (svc, items) => {
      if (wanted.length === 0 || items.length === 0) return items;
      let out = wanted.includes('activatedUsing') ? await expandActivatedUsing(svc, items, (s, view) => groupScheduleView(s, view)) : items;
      for (const [name, key] of [
        ['group', 'groupId'],
        ['principal', 'principalId'],
      ] as const) {
        if (!wanted.includes(name)) continue;
        const objects = await directoryObjects(svc, [...new Set(out.map((i) => String(i[key])))]);
        const byId = new Map(objects.map((o) => [String(o.id), o]));
        out = out.map((i) => ({ ...i, [name]: byId.get(String(i[key])) ?? null }));
      }
      return out;
    };
  },
};
