/**
 * Sends one notification: the role's policy says which audiences hear of it, the directory says who
 * they are and where their mail goes, each address gets one email. A send that keeps failing is
 * reported (metric and audit record) and does not throw: access was already granted or taken away,
 * and an email must never hold that up or undo it.
 */
import type { NotificationRule } from '../../contracts/policy-rules.ts';
import { deliveryPlan, recipientsOf, type Recipient } from '../../domain/notifications/recipients.ts';
import { renderEmail, type RenderedEmail } from '../../domain/notifications/render.ts';
import type { NotificationEvent, RecipientType } from '../../domain/notifications/types.ts';
import type { Services } from '../context.ts';
import { mapLimited } from '../map-limited.ts';
import { accessTargetOrId } from '../roles/access-kinds/access-target.ts';
import { fallbackApproverIds } from '../roles/approvals/approvers.ts';
import { effectivePolicy } from '../roles/policies/effective-policy.ts';
import { loadPrincipal, mailAddresses, requestorIds, type DefaultRecipients } from './directory-lookups.ts';
import { reportDeliveryFailure } from './failure-report.ts';
import { sendOnce } from './send-once.ts';
import type { Mailer } from './mailer.ts';

export interface DeliveryDeps {
  services: Services;
  mailer: Mailer;
  portalUrl: string;
  writeLog: (line: string) => void;
  /** Emails in flight at once for one event (SES accounts start at 14 a second). */
  sendConcurrency?: number;
}

const isNotificationRule = (r: { '@odata.type': string }): r is NotificationRule =>
  r['@odata.type'] === '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule';

export interface DeliveryResult {
  recipients: Recipient[];
  failed: number;
}

export async function deliverNotification(deps: DeliveryDeps, event: NotificationEvent, correlationId: string): Promise<DeliveryResult> {
  const svc = deps.services;
  const [role, policy, principal] = await Promise.all([
    // A role or group deleted since: still tell people, under its id.
    accessTargetOrId(svc, event.roleDefinitionId, event.directoryScopeId),
    effectivePolicy(svc, event.roleDefinitionId, event.directoryScopeId),
    loadPrincipal(svc.table, event.principalId),
  ]);
  const plan = deliveryPlan(event, policy.rules.filter(isNotificationRule), role.isPrivileged);
  const wants = (audience: RecipientType) => plan.some((p) => p.audience === audience && p.useDefaults);
  const defaults: DefaultRecipients = {
    Requestor: wants('Requestor') ? await requestorIds(svc.table, principal) : [],
    Approver: wants('Approver') ? event.approverIds : [],
    // Entra's default Admin recipients are the fallback approvers: Privileged Role and Global Administrators.
    Admin: wants('Admin') ? await fallbackApproverIds(svc, svc.clock.now()) : [],
  };
  const mailOf = await mailAddresses(svc.table, Object.values(defaults).flat());
  const recipients = recipientsOf(plan, defaults, mailOf);

  const emails = new Map<RecipientType, RenderedEmail>();
  const context = { portalUrl: deps.portalUrl, roleName: role.displayName, principalName: principal?.displayName ?? event.principalId };
  const emailFor = (audience: RecipientType) => emails.get(audience) ?? emails.set(audience, renderEmail(event, audience, context)).get(audience)!;
  const errors: string[] = [];
  await mapLimited(recipients, deps.sendConcurrency ?? 4, async (r) => {
    try {
      await sendOnce(deps, correlationId, event.id, r.address, emailFor(r.audience));
    } catch (error) {
      errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  });
  deps.writeLog(
    JSON.stringify({
      level: 'INFO',
      message: 'notification processed',
      eventId: event.id,
      kind: event.kind,
      recipients: recipients.length,
      failed: errors.length,
    }),
  );
  if (errors.length > 0) {
    await reportDeliveryFailure(
      { table: svc.table, clock: svc.clock, writeLog: deps.writeLog },
      { event, recipientCount: recipients.length, failedCount: errors.length, error: errors[0]! },
      correlationId,
    );
  }
  return { recipients, failed: errors.length };
}
