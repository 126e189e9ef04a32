import { roleRoutes as r } from '../../../shared/contracts/routes/roles.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { roleDefinitionView } from '../../../shared/contracts/role-definitions.ts';
import { NotFoundError } from '../../../shared/domain/errors.ts';
import type { Services } from '../../../shared/services/context.ts';
import { collection, contextUrl, created, entity, noContent } from '../../../shared/http/responses.ts';
import {
  createRoleDefinition,
  deleteRoleDefinition,
  getRoleDefinition,
  listRoleDefinitions,
  updateRoleDefinition,
} from '../../../shared/services/role-definitions.ts';

const fragment = 'roleManagement/directory/roleDefinitions';

async function list(ctx: { services: Services; query: { $filter?: string; $top?: number; $skiptoken?: string } }, version: 'v1.0' | 'beta') {
  const page = await listRoleDefinitions(ctx.services, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken });
  return { ...page, items: page.items.map((role) => roleDefinitionView(role, version)) };
}

/** AWS roles live under /roleManagement/aws: each provider shows its own. */
async function directoryRole(services: Services, id: string) {
  const role = await getRoleDefinition(services, id);
  if (role.kind === 'aws')
    throw new NotFoundError(`Role definition '${id}' does not exist here; it is an AWS role (/roleManagement/aws/roleDefinitions).`, 'RoleNotFound');
  return role;
}

export const roleDefinitionRoutes = [
  implement(r.listRoleDefinitions, async (ctx) => collection(ctx.info, fragment, await list(ctx, 'v1.0'), ctx.query.$select)),
  implement(r.listRoleDefinitionsBeta, async (ctx) => collection(ctx.info, fragment, await list(ctx, 'beta'), ctx.query.$select)),
  implement(r.getRoleDefinitionBeta, async (ctx) =>
    entity(ctx.info, fragment, roleDefinitionView(await directoryRole(ctx.services, ctx.params.id), 'beta'), ctx.query.$select),
  ),
  implement(r.createRoleDefinition, async (ctx) => {
    const role = await createRoleDefinition(ctx.services, actorOf(ctx), ctx.body);
    return created(
      { '@odata.context': contextUrl(ctx.info, `${fragment}/$entity`), ...roleDefinitionView(role) },
      `${ctx.info.baseUrl}/v1.0/${fragment}/${role.id}`,
    );
  }),
  implement(r.getRoleDefinition, async (ctx) =>
    entity(ctx.info, fragment, roleDefinitionView(await directoryRole(ctx.services, ctx.params.id)), ctx.query.$select),
  ),
  implement(r.updateRoleDefinition, async (ctx) => {
    await updateRoleDefinition(ctx.services, actorOf(ctx), ctx.params.id, ctx.body);
    return noContent();
  }),
  implement(r.deleteRoleDefinition, async (ctx) => {
    await deleteRoleDefinition(ctx.services, actorOf(ctx), ctx.params.id);
    return noContent();
  }),
];
