import * as z from 'zod';
import { route } from '../../http/route.ts';
import { collectionOf, collectionQuery, entityQuery, idParam } from '../common.ts';
import { betaRoleDefinitionSchema, roleDefinitionCreateSchema, roleDefinitionSchema, roleDefinitionUpdateSchema } from '../role-definitions.ts';

const byId = z.strictObject({ id: idParam });
const base = '/v1.0/roleManagement/directory/roleDefinitions';
const betaBase = '/beta/roleManagement/directory/roleDefinitions';
const common = { lambda: 'roles' as const, tag: 'roleDefinitions' };

export const roleRoutes = {
  listRoleDefinitions: route({
    ...common,
    id: 'roleDefinitions.list',
    method: 'GET',
    path: base,
    summary: "List role definitions (Entra's built-in roles and custom roles)",
    query: collectionQuery,
    response: collectionOf(roleDefinitionSchema),
    status: 200,
  }),
  createRoleDefinition: route({
    ...common,
    id: 'roleDefinitions.create',
    method: 'POST',
    path: base,
    summary: 'Create a custom role',
    body: roleDefinitionCreateSchema,
    response: roleDefinitionSchema,
    status: 201,
  }),
  /** Graph serves `isPrivileged` in beta only; so does Stint (the portal reads it here). */
  listRoleDefinitionsBeta: route({
    ...common,
    id: 'roleDefinitions.listBeta',
    method: 'GET',
    path: betaBase,
    summary: 'List role definitions with isPrivileged (beta)',
    query: collectionQuery,
    response: collectionOf(betaRoleDefinitionSchema),
    status: 200,
  }),
  getRoleDefinitionBeta: route({
    ...common,
    id: 'roleDefinitions.getBeta',
    method: 'GET',
    path: `${betaBase}/{id}`,
    summary: 'Get a role definition with isPrivileged (beta)',
    params: byId,
    query: entityQuery,
    response: betaRoleDefinitionSchema,
    status: 200,
  }),
  getRoleDefinition: route({
    ...common,
    id: 'roleDefinitions.get',
    method: 'GET',
    path: `${base}/{id}`,
    summary: 'Get a role definition',
    params: byId,
    query: entityQuery,
    response: roleDefinitionSchema,
    status: 200,
  }),
  updateRoleDefinition: route({
    ...common,
    id: 'roleDefinitions.update',
    method: 'PATCH',
    path: `${base}/{id}`,
    summary: 'Update a custom role',
    params: byId,
    body: roleDefinitionUpdateSchema,
    status: 204,
  }),
  deleteRoleDefinition: route({
    ...common,
    id: 'roleDefinitions.delete',
    method: 'DELETE',
    path: `${base}/{id}`,
    summary: 'Delete a custom role',
    params: byId,
    status: 204,
  }),
};
