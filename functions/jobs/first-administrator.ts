/**
 * The CloudFormation custom resource that makes the deployment's first Global Administrator
 * (shared/services/tenant/first-administrator.ts). A Lambda-backed custom resource answers by PUTting its
 * result to the pre-signed ResponseURL; a failure is reported there too, so a deploy never hangs. Delete
 * does nothing: the table is retained, and an administrator is never removed by tearing down a stack.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as z from 'zod';
import type { Services } from '../../shared/services/context.ts';
import { ensureFirstAdministrator } from '../../shared/services/tenant/first-administrator.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';
import { logger } from '../../shared/observability/logger.ts';

const propertiesSchema = z.object({
  UserPrincipalName: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be a user principal name such as ada@example.com'),
  DisplayName: z.string().max(256).optional(),
});

const PHYSICAL_ID = 'stint-first-administrator';

async function respond(
  event: CloudFormationCustomResourceEvent,
  status: 'SUCCESS' | 'FAILED',
  reason: string,
  data: Record<string, string> = {},
): Promise<void> {
  const body = JSON.stringify({
    Status: status,
    Reason: reason.slice(0, 1000),
    PhysicalResourceId: PHYSICAL_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // The pre-signed URL wants no content type.
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation's response URL answered ${response.status}.`);
}

export function createHandler(services: () => Services = () => defaultBackgroundRuntime().services) {
  return async (event: CloudFormationCustomResourceEvent): Promise<void> => {
    if (event.RequestType === 'Delete') return respond(event, 'SUCCESS', 'Nothing is removed on delete: the table and its administrators are retained.');
    try {
      const props = propertiesSchema.parse(event.ResourceProperties);
      const result = await ensureFirstAdministrator(
        services(),
        { userPrincipalName: props.UserPrincipalName, displayName: props.DisplayName },
        `cfn:${event.RequestId}`,
      );
      const what = `${props.UserPrincipalName} ${result.assigned ? 'is now' : 'already was'} a permanent Global Administrator${result.created ? ' (added to the directory)' : ''}.`;
      await respond(event, 'SUCCESS', what, { UserId: result.userId });
    } catch (error) {
      const message =
        error instanceof z.ZodError ? `firstAdmin ${error.issues.map((i) => i.message).join('; ')}` : error instanceof Error ? error.message : String(error);
      logger.error('first administrator failed', { error: message });
      await respond(event, 'FAILED', message);
    }
  };
}

export const handler = createHandler();
