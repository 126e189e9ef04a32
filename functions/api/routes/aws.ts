import { awsRoutes as r } from '../../../shared/contracts/routes/aws.ts';
import { AWS_BASE } from '../../../shared/contracts/routes/role-schedules.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { collection, contextUrl, created, entity, ok } from '../../../shared/http/responses.ts';
import { listVisibleAccounts } from '../../../shared/services/aws/accounts.ts';
import { awsCall } from '../../../shared/services/aws/aws-call.ts';
import { discoverAws } from '../../../shared/services/aws/discover.ts';
import { getAwsRoleDefinition, listAwsRoleDefinitions, registerAwsRole } from '../../../shared/services/aws/role-definitions.ts';
import { requirePermission } from '../../../shared/services/authorize.ts';

const fragment = `${AWS_BASE.slice('/v1.0/'.length)}/roleDefinitions`;

export const awsRouteImpls = [
  implement(r.listRoleDefinitions, async (ctx) =>
    collection(
      ctx.info,
      fragment,
      await listAwsRoleDefinitions(ctx.services, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
  implement(r.registerRoleDefinition, async (ctx) => {
    const role = await awsCall(() => registerAwsRole(ctx.services, actorOf(ctx), ctx.body.permissionSetArn));
    return created({ '@odata.context': contextUrl(ctx.info, `${fragment}/$entity`), ...role }, `${ctx.info.baseUrl}${AWS_BASE}/roleDefinitions/${role.id}`);
  }),
  implement(r.refreshRoleDefinitions, async (ctx) => {
    const actor = actorOf(ctx);
    await requirePermission(ctx.services, actor, 'roleDefinitions.manage');
    return ok(await awsCall(() => discoverAws(ctx.services, actor)));
  }),
  implement(r.getRoleDefinition, async (ctx) => entity(ctx.info, fragment, await getAwsRoleDefinition(ctx.services, ctx.params.id), ctx.query.$select)),
  implement(r.listAccounts, async (ctx) =>
    collection(
      ctx.info,
      `${AWS_BASE.slice('/v1.0/'.length)}/accounts`,
      await listVisibleAccounts(ctx.services, ctx.caller, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
];
