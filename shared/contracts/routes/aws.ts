/**
 * AWS access's own routes beside the schedule routes (role-schedules.ts, awsScheduleRoutes): the AWS role
 * definitions (permission sets tagged stint:managed=true), their discovery, and the organization's
 * accounts and OUs that scopes name. Stint's extensions: Graph has no AWS provider (README.md).
 */
import * as z from 'zod';
import { route } from '../../http/route.ts';
import { collectionOf, collectionQuery, entityQuery, idParam } from '../common.ts';
import { awsRoleDefinitionSchema } from '../aws-role-definitions.ts';
import { AWS_BASE } from './role-schedules.ts';

const common = { lambda: 'roles' as const, tag: 'awsAccess' };
const byId = z.strictObject({ id: idParam });
const anyObject = z.looseObject({ id: z.string() });

export const awsRoutes = {
  listRoleDefinitions: route({
    ...common,
    id: 'aws.roleDefinitions.list',
    method: 'GET',
    path: `${AWS_BASE}/roleDefinitions`,
    summary: 'List AWS roles: the IAM Identity Center permission sets Stint manages',
    query: collectionQuery,
    response: collectionOf(awsRoleDefinitionSchema),
    status: 200,
  }),
  registerRoleDefinition: route({
    ...common,
    id: 'aws.roleDefinitions.create',
    method: 'POST',
    path: `${AWS_BASE}/roleDefinitions`,
    summary: 'Register a permission set (tagged stint:managed=true) as an AWS role',
    body: z.strictObject({
      '@odata.type': z.literal('#microsoft.graph.unifiedRoleDefinition').optional(),
      permissionSetArn: z.string().min(20).max(300),
    }),
    response: awsRoleDefinitionSchema,
    status: 201,
  }),
  refreshRoleDefinitions: route({
    ...common,
    id: 'aws.roleDefinitions.refresh',
    method: 'POST',
    path: `${AWS_BASE}/roleDefinitions/refresh`,
    summary: 'Discover the managed permission sets and the organization now (the reconciler does so every 5 minutes)',
    response: anyObject.partial({ id: true }),
    status: 200,
  }),
  getRoleDefinition: route({
    ...common,
    id: 'aws.roleDefinitions.get',
    method: 'GET',
    path: `${AWS_BASE}/roleDefinitions/{id}`,
    summary: 'Get an AWS role',
    params: byId,
    query: entityQuery,
    response: awsRoleDefinitionSchema,
    status: 200,
  }),
  listAccounts: route({
    ...common,
    id: 'aws.accounts.list',
    method: 'GET',
    path: `${AWS_BASE}/accounts`,
    summary: "The organization's accounts (id, name, the OUs above them): the scopes /accounts/{id}",
    query: collectionQuery,
    response: collectionOf(anyObject),
    status: 200,
  }),
};
