/**
 * PIM for groups schedule requests, in Graph's shape (`privilegedAccessGroup…ScheduleRequest`): a
 * `groupId` and an `accessId` (member | owner) in place of a role and scope. Parsed here, they become
 * ordinary schedule requests for the group access target (shared/domain/group-access.ts).
 */
import * as z from 'zod';
import { GROUP_ACCESS_IDS, groupScope } from '../domain/group-access.ts';
import { ACTIONS, scheduleInfoInputSchema, ticketInfoSchema, type Action, type RoleRequestInput } from './role-requests.ts';

/** The actions Graph documents for group requests. */
export const GROUP_ACTIONS = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'adminExtend',
  'adminRenew',
  'selfActivate',
  'selfDeactivate',
] as const satisfies readonly Action[];

export const groupRequestInputSchema = z
  .strictObject({
    '@odata.type': z.string().optional(),
    action: z
      .string()
      .max(32)
      .transform((v, ctx) => {
        const canonical = GROUP_ACTIONS.find((a) => a.toLowerCase() === v.toLowerCase());
        if (!canonical) ctx.addIssue({ code: 'custom', message: `action must be one of ${GROUP_ACTIONS.join(', ')}` });
        return { sent: v, canonical: canonical as (typeof ACTIONS)[number] };
      }),
    accessId: z
      .string()
      .max(16)
      .transform((v, ctx) => {
        const found = GROUP_ACCESS_IDS.find((a) => a === v.toLowerCase());
        if (!found) ctx.addIssue({ code: 'custom', message: "accessId must be 'member' or 'owner'" });
        return found!;
      }),
    groupId: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "groupId must be a group's id"),
    principalId: z.string().min(1).max(256),
    justification: z.string().max(500).nullable().optional(),
    scheduleInfo: scheduleInfoInputSchema.nullable().optional(),
    ticketInfo: ticketInfoSchema.nullable().optional(),
    isValidationOnly: z.boolean().optional(),
    customData: z.string().max(1024).nullable().optional(),
  })
  .transform(({ accessId, groupId, '@odata.type': _type, ...rest }): RoleRequestInput => ({
    ...rest,
    roleDefinitionId: accessId,
    directoryScopeId: groupScope(groupId),
  }));
