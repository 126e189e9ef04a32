/**
 * AWS access: IAM Identity Center permission sets (role definitions `ps-…`) at an account or OU,
 * served under /roleManagement/aws with the requests, schedules and instances of PIM for roles. Only
 * users hold them (each matched once to an Identity Center user); an active assignment names one
 * account; an eligibility may name an OU, covering its accounts.
 */
import { requestView } from '../../../contracts/role-requests.ts';
import { BadRequestError } from '../../../domain/errors.ts';
import { isAwsAccess, isAwsScope, parseAwsScope, sessionsMayLastUntil } from '../../../domain/aws-access.ts';
import type { Schedule } from '../../../domain/schedule.ts';
import { linkUser, storedLink } from '../../aws/identity-mapping.ts';
import { resolveAwsScope } from '../../aws/organization.ts';
import { connected } from '../../aws/role-definitions.ts';
import { expandItems, parseExpand } from '../read-models/expand.ts';
import { COLLECTIONS, instanceView, scheduleView, type ViewKind } from '../read-models/role-views.ts';
import { linkActivatedUsing } from '../read-models/activated-using.ts';
import { authorizeAdmin } from '../requests/admin-actions.ts';
import type { AccessKind, AccessView } from './access-kind.ts';

type RoleView = AccessView & { roleDefinitionId: string };

/** Stint's extension on AWS schedules and instances (README.md, "Extensions to Graph"). */
export function awsAccessView(s: Schedule) {
  const account = parseAwsScope(s.directoryScopeId);
  if (s.kind !== 'assignment' || account.type !== 'account') return undefined;
  const a = s.aws;
  const endOfAccess = a?.revokedDateTime ?? s.endDateTime;
  return {
    accountId: account.id,
    provisioningState: a?.state ?? (s.status === 'Granted' ? null : 'provisioning'),
    usableDateTime: a?.usableDateTime ?? null,
    failureReason: a?.failureReason ?? null,
    revokedDateTime: a?.revokedDateTime ?? null,
    sessionDuration: a?.sessionDuration ?? null,
    // Deleting the assignment stops new sessions only; those issued before run out on their own.
    sessionsMayLastUntil: endOfAccess && a?.usableDateTime ? sessionsMayLastUntil(endOfAccess, a.sessionDuration) : null,
  };
}

const withAws = <T extends object>(view: T, s: Schedule) => {
  const extension = awsAccessView(s);
  return (extension ? { ...view, awsAccess: extension } : view) as unknown as AccessView;
};

export const AWS_ACCESS: AccessKind = {
  name: 'aws',
  owns: isAwsAccess,
  checkScope(scope) {
    if (!isAwsScope(scope)) {
      throw new BadRequestError(`directoryScopeId '${scope}' is not an AWS scope: use '/accounts/{account id}' or '/ous/{ou id}'.`, 'InvalidScope');
    }
    parseAwsScope(scope);
  },
  targetNotFound: (roleDefinitionId) =>
    new BadRequestError(
      `roleDefinitionId '${roleDefinitionId}' is not an AWS role: list them at /roleManagement/aws/roleDefinitions (permission sets tagged stint:managed=true).`,
      'RoleNotFound',
    ),
  checkPrincipal(principal) {
    if (principal.type !== 'user') {
      throw new BadRequestError('AWS roles are given to users only: each is matched to one IAM Identity Center user.', 'InvalidPrincipal');
    }
  },
  scheduleView: (s, view, memberType, principalId) => linkActivatedUsing(present(s, view, memberType, principalId), s.activatedUsing, view),
  requestView: (r) =>
    linkActivatedUsing(
      (r.failureReason ? { ...requestView(r), awsAccess: { failureReason: r.failureReason } } : requestView(r)) as AccessView,
      r.activatedUsing,
      'schedules',
    ),
  collection: (kind, view) => (view === 'requests' ? `role${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequests` : COLLECTIONS[kind][view]),
  expander(expand) {
    const wanted = parseExpand(expand);
    return (svc, items) => expandItems(svc, items as RoleView[], wanted, present);
  },
  async completeRequest(p) {
    connected(p.svc);
    const resolved = await resolveAwsScope(p.svc, p.scope);
    if (p.kind === 'assignment' && !resolved.scope.startsWith('/accounts/')) {
      throw new BadRequestError('An active AWS assignment or activation names one account (/accounts/{id}); eligibility may name an OU.', 'InvalidScope');
    }
    if (p.action === 'adminAssign') {
      // Matched once, when access is first given, and only by someone allowed to give it.
      await authorizeAdmin(p);
      await linkUser(p.svc, p.actor, p.principal);
    } else if (p.action === 'selfActivate' && !(await storedLink(p.svc, p.principal.id))) {
      throw new BadRequestError(
        `${p.principal.displayName} is not matched to an IAM Identity Center user yet; an administrator assigns the AWS eligibility again to match them.`,
        'AwsUserNotFound',
      );
    }
    return { scope: resolved.scope, scopeParents: resolved.parents };
  },
};

function present(s: Schedule, view: ViewKind, memberType?: 'Direct' | 'Group', principalId?: string): AccessView {
  return withAws(view === 'schedules' ? scheduleView(s, memberType, principalId) : instanceView(s, memberType, principalId), s) as AccessView;
}
