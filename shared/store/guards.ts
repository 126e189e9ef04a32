/**
 * Last-administrator protection: a counter of permanent active holders per protected role, changed in
 * the same transaction as the assignment. Decrementing is conditioned on another holder remaining, so
 * two simultaneous removals of the last two cannot both succeed.
 */
import { ConflictError } from '../domain/errors.ts';
import { keys } from './keys.ts';
import type { ConditionalWrite } from './transact.ts';

export function addProtectedHolder(roleId: string): ConditionalWrite {
  return { update: { Key: keys.guard(roleId), UpdateExpression: 'ADD #count :one SET #type = :type', ExpressionAttributeNames: { '#count': 'count', '#type': 'type' }, ExpressionAttributeValues: { ':one': 1, ':type': 'guard' } } };
}

export function removeProtectedHolder(roleId: string, onLast: () => ConflictError): ConditionalWrite {
  return {
    update: {
      Key: keys.guard(roleId),
      UpdateExpression: 'ADD #count :minus',
      ConditionExpression: '#count > :one',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
    },
    onConditionFailed: onLast,
  };
}
