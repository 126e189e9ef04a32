import { directoryObjectProperties } from '../../../shared/contracts/directory.ts';
import { directoryRoutes as r } from '../../../shared/contracts/routes/directory.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { collection, contextUrl, created, entity, noContent } from '../../../shared/http/responses.ts';
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  getGroup,
  listGroupMembers,
  listGroups,
  removeGroupMember,
  updateGroup,
} from '../../../shared/services/directory/groups.ts';

export const groupRoutes = [
  implement(r.listGroups, async (ctx) =>
    collection(
      ctx.info,
      'groups',
      await listGroups(ctx.services, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
  implement(r.createGroup, async (ctx) => {
    const group = await createGroup(ctx.services, actorOf(ctx), ctx.body);
    return created({ '@odata.context': contextUrl(ctx.info, 'groups/$entity'), ...group }, `${ctx.info.baseUrl}/v1.0/groups/${group.id}`);
  }),
  implement(r.getGroup, async (ctx) => entity(ctx.info, 'groups', await getGroup(ctx.services, ctx.params.id), ctx.query.$select)),
  implement(r.updateGroup, async (ctx) => {
    await updateGroup(ctx.services, actorOf(ctx), ctx.params.id, ctx.body);
    return noContent();
  }),
  implement(r.deleteGroup, async (ctx) => {
    await deleteGroup(ctx.services, actorOf(ctx), ctx.params.id);
    return noContent();
  }),
  implement(r.listMembers, async (ctx) =>
    collection(
      ctx.info,
      'directoryObjects',
      await listGroupMembers(ctx.services, ctx.params.id, ctx.query.$top ?? 100, ctx.query.$skiptoken),
      ctx.query.$select,
      directoryObjectProperties,
    ),
  ),
  implement(r.addMember, async (ctx) => {
    await addGroupMember(ctx.services, actorOf(ctx), ctx.params.id, ctx.body['@odata.id']);
    return noContent();
  }),
  implement(r.removeMember, async (ctx) => {
    await removeGroupMember(ctx.services, actorOf(ctx), ctx.params.id, ctx.params.memberId);
    return noContent();
  }),
];
