import { directoryObjectProperties } from '../../../shared/contracts/directory.ts';
import { directoryRoutes as r } from '../../../shared/contracts/routes/directory.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { collection, created, entity, noContent } from '../../../shared/http/responses.ts';
import { contextUrl } from '../../../shared/http/responses.ts';
import { createUser, deleteUser, getSignedInUser, getUser, listUsers, updateUser } from '../../../shared/services/directory/users.ts';
import { listMemberOf } from '../../../shared/services/directory/groups.ts';
import { addUserIdentity, listUserIdentities } from '../../../shared/services/directory/identities.ts';
import { withSignInActivity } from '../../../shared/services/directory/sign-in-activity.ts';

export const userRoutes = [
  implement(r.listUsers, async (ctx) => {
    const page = await listUsers(ctx.services, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken });
    const items = await withSignInActivity(ctx.services, actorOf(ctx), page.items, ctx.query.$select);
    return collection(ctx.info, 'users', { ...page, items }, ctx.query.$select);
  }),
  implement(r.createUser, async (ctx) => {
    const user = await createUser(ctx.services, actorOf(ctx), ctx.body);
    return created({ '@odata.context': contextUrl(ctx.info, 'users/$entity'), ...user }, `${ctx.info.baseUrl}/v1.0/users/${user.id}`);
  }),
  implement(r.getMe, async (ctx) => {
    const [me] = await withSignInActivity(ctx.services, actorOf(ctx), [await getSignedInUser(ctx.services, ctx.caller)], ctx.query.$select);
    return entity(ctx.info, 'users', me!, ctx.query.$select);
  }),
  implement(r.getUser, async (ctx) => {
    const [user] = await withSignInActivity(ctx.services, actorOf(ctx), [await getUser(ctx.services, ctx.params.id)], ctx.query.$select);
    return entity(ctx.info, 'users', user!, ctx.query.$select);
  }),
  implement(r.updateUser, async (ctx) => {
    await updateUser(ctx.services, actorOf(ctx), ctx.params.id, ctx.body);
    return noContent();
  }),
  implement(r.deleteUser, async (ctx) => {
    await deleteUser(ctx.services, actorOf(ctx), ctx.params.id);
    return noContent();
  }),
  implement(r.listIdentities, async (ctx) =>
    collection(ctx.info, 'identities', { items: await listUserIdentities(ctx.services, actorOf(ctx), ctx.params.id) }),
  ),
  implement(r.addIdentity, async (ctx) => {
    const identity = await addUserIdentity(ctx.services, actorOf(ctx), ctx.params.id, ctx.body);
    return created({ '@odata.context': contextUrl(ctx.info, 'identities/$entity'), ...identity }, `${ctx.info.baseUrl}/v1.0/users/${ctx.params.id}/identities`);
  }),
  implement(r.listMemberOf, async (ctx) => {
    // Load the user, not just resolve the id: an unknown id (or another object's id) is a 404, not an empty list.
    const { id } = await getUser(ctx.services, ctx.params.id);
    return collection(
      ctx.info,
      'directoryObjects',
      await listMemberOf(ctx.services, id, ctx.query.$top ?? 100, ctx.query.$skiptoken),
      ctx.query.$select,
      directoryObjectProperties,
    );
  }),
];
