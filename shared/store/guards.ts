/**
 * Last-administrator protection: a counter of permanent active holders per protected role, changed in
 * the same transaction as the assignment (or group membership). Decrementing is conditioned on another
 * holder remaining, so two simultaneous removals of the last two cannot both succeed.
 *
 * A group's permanent assignment counts once per standing user member. Each group has a guard item
 * holding the roles it counts for (`roles`), the members it counted (`users`, kept while it counts for
 * any) and a `version` moved by every user-membership change: membership changes are conditioned on
 * `roles` as read, and a group starting or stopping to count on `version` and `roles` as read, so a count
 * is never taken from a membership list that changed meanwhile.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ConflictError } from '../domain/errors.ts';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

/** Moves a role's counter by `delta`; a decrement only while at least one holder remains. */
export function adjustProtectedHolders(roleId: string, delta: number, onLast?: () => ConflictError): ConditionalWrite {
  const names = { '#count': 'count', '#type': 'type' };
  if (delta >= 0)
    return {
      update: {
        Key: keys.guard(roleId),
        UpdateExpression: 'ADD #count :delta SET #type = :type',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':delta': delta, ':type': 'guard' },
      },
    };
  return {
    update: {
      Key: keys.guard(roleId),
      UpdateExpression: 'ADD #count :delta',
      ConditionExpression: '#count > :removed',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta, ':removed': -delta },
    },
    onConditionFailed: onLast,
  };
}

export function addProtectedHolder(roleId: string): ConditionalWrite {
  return adjustProtectedHolders(roleId, 1);
}

export function removeProtectedHolder(roleId: string, onLast: () => ConflictError): ConditionalWrite {
  return adjustProtectedHolders(roleId, -1, onLast);
}

export interface GroupGuard {
  groupId: string;
  version: number;
  /** Protected roles the group counts for (sorted). */
  roles: string[];
  /** Standing user members counted, while `roles` is not empty. */
  users: number;
}

export async function readGroupGuard(table: TableContext, groupId: string): Promise<GroupGuard> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.groupGuard(groupId), ConsistentRead: true }));
  const roles = String(Item?.roles ?? '');
  return { groupId, version: Number(Item?.version ?? 0), roles: roles === '' ? [] : roles.split(' '), users: Number(Item?.users ?? 0) };
}

const rolesAsRead = (g: GroupGuard) =>
  g.roles.length === 0
    ? { expression: '(attribute_not_exists(#roles) OR #roles = :read)', value: '' }
    : { expression: '#roles = :read', value: g.roles.join(' ') };

/** A standing user member joins (+1) or leaves (-1) a group: its guard item, while the roles it counts for are those read. */
export function userMembershipChange(g: GroupGuard, delta: 1 | -1, onChanged: () => ConflictError): ConditionalWrite {
  const read = rolesAsRead(g);
  const counting = g.roles.length > 0;
  return {
    update: {
      Key: keys.groupGuard(g.groupId),
      UpdateExpression: `ADD #version :one${counting ? ', #users :delta' : ''} SET #type = :type`,
      ConditionExpression: read.expression,
      ExpressionAttributeNames: { '#version': 'version', '#type': 'type', '#roles': 'roles', ...(counting ? { '#users': 'users' } : {}) },
      ExpressionAttributeValues: { ':one': 1, ':type': 'groupGuard', ':read': read.value, ...(counting ? { ':delta': delta } : {}) },
    },
    onConditionFailed: onChanged,
  };
}

/** The group now counts for `roles`, with `users` standing user members, as long as nothing changed since `g` was read. */
export function groupCounts(g: GroupGuard, roles: string[], users: number, onChanged: () => ConflictError): ConditionalWrite {
  const read = rolesAsRead(g);
  return {
    update: {
      Key: keys.groupGuard(g.groupId),
      UpdateExpression: 'SET #roles = :roles, #users = :users, #type = :type',
      ConditionExpression: `${g.version === 0 ? 'attribute_not_exists(#version)' : '#version = :version'} AND ${read.expression}`,
      ExpressionAttributeNames: { '#version': 'version', '#type': 'type', '#roles': 'roles', '#users': 'users' },
      ExpressionAttributeValues: {
        ':roles': [...roles].sort().join(' '),
        ':users': users,
        ':type': 'groupGuard',
        ':read': read.value,
        ...(g.version === 0 ? {} : { ':version': g.version }),
      },
    },
    onConditionFailed: onChanged,
  };
}

/** A deleted group's guard item goes with it, only while it counts for no role. */
export function dropGroupGuard(groupId: string, onCounting: () => ConflictError): ConditionalWrite {
  return {
    delete: {
      Key: keys.groupGuard(groupId),
      ConditionExpression: 'attribute_not_exists(#roles) OR #roles = :none',
      ExpressionAttributeNames: { '#roles': 'roles' },
      ExpressionAttributeValues: { ':none': '' },
    },
    onConditionFailed: onCounting,
  };
}
