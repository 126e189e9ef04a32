import { roleRoutes as r } from '../../../shared/contracts/routes/roles.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { NotFoundError } from '../../../shared/domain/errors.ts';
import { collection, contextUrl, created, entity, noContent } from '../../../shared/http/responses.ts';
import {
  createRoleDefinition,
  deleteRoleDefinition,
  getRoleDefinition,
  listRoleDefinitions,
  updateRoleDefinition,
} from '../../../shared/services/role-definitions.ts';

const fragment = 'roleManagement/directory/roleDefinitions';

export const roleDefinitionRoutes = [
  implement(r.listRoleDefinitions, async (ctx) =>
    collection(
      ctx.info,
      fragment,
      await listRoleDefinitions(ctx.services, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
  implement(r.createRoleDefinition, async (ctx) => {
    const role = await createRoleDefinition(ctx.services, actorOf(ctx), ctx.body);
    return created({ '@odata.context': contextUrl(ctx.info, `${fragment}/$entity`), ...role }, `${ctx.info.baseUrl}/v1.0/${fragment}/${role.id}`);
  }),
  implement(r.getRoleDefinition, async (ctx) => {
    const role = await getRoleDefinition(ctx.services, ctx.params.id);
    // AWS roles live under /roleManagement/aws: each provider shows its own.
    if (role.kind === 'aws')
      throw new NotFoundError(
        `Role definition '${ctx.params.id}' does not exist here; it is an AWS role (/roleManagement/aws/roleDefinitions).`,
        'RoleNotFound',
      );
    return entity(ctx.info, fragment, role, ctx.query.$select);
  }),
  implement(r.updateRoleDefinition, async (ctx) => {
    await updateRoleDefinition(ctx.services, actorOf(ctx), ctx.params.id, ctx.body);
    return noContent();
  }),
  implement(r.deleteRoleDefinition, async (ctx) => {
    await deleteRoleDefinition(ctx.services, actorOf(ctx), ctx.params.id);
    return noContent();
  }),
];
