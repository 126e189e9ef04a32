import { z } from 'zod';
import { route } from '../../http/route.ts';
import { collectionOf, collectionQuery, entityQuery, idParam } from '../common.ts';
import {
  directoryObjectRefSchema,
  groupCreateSchema,
  groupSchema,
  groupUpdateSchema,
  objectIdentitySchema,
  servicePrincipalCreateSchema,
  servicePrincipalSchema,
  userCreateSchema,
  userSchema,
  userUpdateSchema,
} from '../directory.ts';

const byId = z.strictObject({ id: idParam });
const memberRef = z.strictObject({ id: idParam, memberId: idParam });
const linkQuery = z.strictObject({ $top: collectionQuery.shape.$top, $skiptoken: collectionQuery.shape.$skiptoken, $select: collectionQuery.shape.$select });
const directoryObject = z.looseObject({ '@odata.type': z.string(), id: z.string() });

const common = { lambda: 'directory' as const };

export const directoryRoutes = {
  listUsers: route({ ...common, id: 'users.list', tag: 'users', method: 'GET', path: '/v1.0/users', summary: 'List users', query: collectionQuery, response: collectionOf(userSchema), status: 200 }),
  createUser: route({ ...common, id: 'users.create', tag: 'users', method: 'POST', path: '/v1.0/users', summary: 'Create a user', body: userCreateSchema, response: userSchema, status: 201 }),
  getUser: route({ ...common, id: 'users.get', tag: 'users', method: 'GET', path: '/v1.0/users/{id}', summary: 'Get a user by id or userPrincipalName', params: byId, query: entityQuery, response: userSchema, status: 200 }),
  updateUser: route({ ...common, id: 'users.update', tag: 'users', method: 'PATCH', path: '/v1.0/users/{id}', summary: 'Update a user', params: byId, body: userUpdateSchema, status: 204 }),
  deleteUser: route({ ...common, id: 'users.delete', tag: 'users', method: 'DELETE', path: '/v1.0/users/{id}', summary: 'Delete a user', params: byId, status: 204 }),
  listIdentities: route({ ...common, id: 'users.identities.list', tag: 'users', method: 'GET', path: '/v1.0/users/{id}/identities', summary: "List a user's sign-in identities", params: byId, response: collectionOf(objectIdentitySchema), status: 200 }),
  addIdentity: route({ ...common, id: 'users.identities.add', tag: 'users', method: 'POST', path: '/v1.0/users/{id}/identities', summary: 'Link a sign-in identity (issuer and subject) to a user (Privileged Role Administrator, Global Administrator)', params: byId, body: objectIdentitySchema, response: objectIdentitySchema, status: 201 }),
  listMemberOf: route({ ...common, id: 'users.memberOf', tag: 'users', method: 'GET', path: '/v1.0/users/{id}/memberOf', summary: "List the groups a user is a direct member of", params: byId, query: linkQuery, response: collectionOf(directoryObject), status: 200 }),

  listGroups: route({ ...common, id: 'groups.list', tag: 'groups', method: 'GET', path: '/v1.0/groups', summary: 'List groups', query: collectionQuery, response: collectionOf(groupSchema), status: 200 }),
  createGroup: route({ ...common, id: 'groups.create', tag: 'groups', method: 'POST', path: '/v1.0/groups', summary: 'Create a group', body: groupCreateSchema, response: groupSchema, status: 201 }),
  getGroup: route({ ...common, id: 'groups.get', tag: 'groups', method: 'GET', path: '/v1.0/groups/{id}', summary: 'Get a group', params: byId, query: entityQuery, response: groupSchema, status: 200 }),
  updateGroup: route({ ...common, id: 'groups.update', tag: 'groups', method: 'PATCH', path: '/v1.0/groups/{id}', summary: 'Update a group', params: byId, body: groupUpdateSchema, status: 204 }),
  deleteGroup: route({ ...common, id: 'groups.delete', tag: 'groups', method: 'DELETE', path: '/v1.0/groups/{id}', summary: 'Delete a group', params: byId, status: 204 }),
  listMembers: route({ ...common, id: 'groups.members.list', tag: 'groups', method: 'GET', path: '/v1.0/groups/{id}/members', summary: "List a group's direct members", params: byId, query: linkQuery, response: collectionOf(directoryObject), status: 200 }),
  addMember: route({ ...common, id: 'groups.members.add', tag: 'groups', method: 'POST', path: '/v1.0/groups/{id}/members/$ref', summary: 'Add a member to a group', params: byId, body: directoryObjectRefSchema, status: 204 }),
  removeMember: route({ ...common, id: 'groups.members.remove', tag: 'groups', method: 'DELETE', path: '/v1.0/groups/{id}/members/{memberId}/$ref', summary: 'Remove a member from a group', params: memberRef, status: 204 }),

  listServicePrincipals: route({ ...common, id: 'servicePrincipals.list', tag: 'servicePrincipals', method: 'GET', path: '/v1.0/servicePrincipals', summary: 'List service principals (workload and managed identities)', query: collectionQuery, response: collectionOf(servicePrincipalSchema), status: 200 }),
  createServicePrincipal: route({ ...common, id: 'servicePrincipals.create', tag: 'servicePrincipals', method: 'POST', path: '/v1.0/servicePrincipals', summary: 'Create a service principal', body: servicePrincipalCreateSchema, response: servicePrincipalSchema, status: 201 }),
  getServicePrincipal: route({ ...common, id: 'servicePrincipals.get', tag: 'servicePrincipals', method: 'GET', path: '/v1.0/servicePrincipals/{id}', summary: 'Get a service principal', params: byId, query: entityQuery, response: servicePrincipalSchema, status: 200 }),
  deleteServicePrincipal: route({ ...common, id: 'servicePrincipals.delete', tag: 'servicePrincipals', method: 'DELETE', path: '/v1.0/servicePrincipals/{id}', summary: 'Delete a service principal', params: byId, status: 204 }),
};
