/**
 * Access decisions for the AuthZEN endpoints: gathers what the pure rule (shared/domain/access-decision.ts)
 * needs in as few reads as the table allows, then asks it once per evaluation.
 *
 * Reads, whatever the number of evaluations: one `liveHoldings` per distinct subject (one query of its
 * partition, which holds its schedules and its group memberships, then its groups' partitions in parallel; both kinds at once, so a deny can say "eligible — activate it" without a
 * second round), then, in parallel, the custom roles those holdings name (read at most 10 s ago:
 * recent-role-definitions.ts says why that is safe) and one BatchGet of the groups
 * they come through (for `viaGroup.displayName`). Subjects other than the caller join that BatchGet, to
 * tell "unknown principal" from "holds nothing" and to deny a disabled or deleted one whatever it holds
 * (the caller was checked when its token was read; it joins only when it holds nothing). Asking about
 * anyone but oneself first reads the caller's own holdings, to authorize it before any subject is read.
 *
 * Actions `stint/<Permission>` ask about Stint's own powers (the portal's "which Manage pages may I see"):
 * answered from the same holdings by the API's own gate (`decideStintPermission`), with no extra read.
 *
 * Only a registered service principal asking about someone else (an enforcing application) records use
 * for access reviews: a principal asking about itself, or an administrator asking, proves nothing.
 */
import { roleNamesGranting, isAllowed } from '../domain/authorization.ts';
import {
  decideAccess,
  decideStintPermission,
  disabledPrincipal,
  stintPermissionOf,
  idMayBe,
  isPrincipalOfType,
  unknownPrincipal,
  type AccessDecision,
  type AccessQuestion,
} from '../domain/access-decision.ts';
import type { Caller } from '../domain/caller.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { isGroupAccess } from '../domain/group-access.ts';
import { getObjectItems } from '../store/directory-objects.ts';
import type { Services } from './context.ts';
import { recentRoleDefinitions } from './recent-role-definitions.ts';
import { heldRoles, liveHoldings, type Holding } from './roles/holdings/principal-access.ts';
import { noteUse } from './access-reviews/usage.ts';

const unique = <T>(values: T[]): T[] => [...new Set(values)];

function forbidden(caller: Caller): ForbiddenError {
  const roles = roleNamesGranting('accessDecisions.evaluateOthers');
  return new ForbiddenError(
    `Asking about another principal needs one of these roles, active at '/': ${roles.join(', ')}. ` +
      `Anyone may ask about themselves: set subject.id to your own id ('${caller.id}').`,
  );
}

/** The decisions on the questions, in their order. */
export async function evaluateAccess(svc: Services, caller: Caller, questions: readonly AccessQuestion[]): Promise<AccessDecision[]> {
  const now = svc.clock.now();
  // The caller first: one refused reads nothing of the subjects, so existing and missing ones answer alike.
  if (questions.some((q) => q.subject.id !== caller.id) && !isAllowed(await heldRoles(svc, caller), 'accessDecisions.evaluateOthers')) throw forbidden(caller);
  // Ids that cannot be of the asked type (a 'grp_' id asked as a user) are answered without a read.
  const subjects = unique(questions.filter((q) => idMayBe(q.subject.type, q.subject.id)).map((q) => q.subject.id));
  const lists = await Promise.all(subjects.map((id) => liveHoldings(svc, id, undefined, now)));

  const holdings = new Map<string, Holding[]>(subjects.map((id, i) => [id, lists[i] as Holding[]]));
  const all = [...holdings.values()].flat();
  const groupIds = unique(all.flatMap((h) => (h.viaGroupId ? [h.viaGroupId] : [])));
  // The caller was found present and enabled when its token was read, this request; other subjects are read here.
  const vouchedFor = (id: string) => id === caller.id && holdings.get(id)!.length > 0;
  // An application's question is evidence of use only if it is registered: its object joins the same read.
  const mayEnforce = caller.kind === 'servicePrincipal' && subjects.some((id) => id !== caller.id);
  const [roles, objects] = await Promise.all([
    recentRoleDefinitions(svc, unique(all.filter((h) => !isGroupAccess(h.schedule)).map((h) => h.schedule.roleDefinitionId))),
    getObjectItems(svc.table, unique([...groupIds, ...subjects.filter((id) => !vouchedFor(id)), ...(mayEnforce ? [caller.id] : [])])),
  ]);
  const objectById = new Map(objects.map((item) => [String((item.data as { id: string }).id), item]));
  const groupNames = new Map(groupIds.map((id) => [id, displayNameOf(objectById.get(id))]));

  const decisions = questions.map((q) => {
    const held = holdings.get(q.subject.id);
    if (!held || !idMayBe(q.subject.type, q.subject.id)) return unknownPrincipal(q.subject);
    if (!vouchedFor(q.subject.id)) {
      const found = objectById.get(q.subject.id);
      if (!found || !isPrincipalOfType(q.subject.type, String(found.type))) return unknownPrincipal(q.subject);
      if ((found.data as { accountEnabled?: unknown }).accountEnabled === false) return disabledPrincipal(q.subject);
    }
    const permission = stintPermissionOf(q.action);
    if (permission) return decideStintPermission(q, permission, { holdings: held, groupNames, now });
    return decideAccess(q, { holdings: held, roles, groupNames, now });
  });
  if (mayEnforce && objectById.get(caller.id)?.type === 'servicePrincipal') {
    // A question about Stint's own powers is no use of any access.
    const others = subjects.filter((id) => id !== caller.id);
    await Promise.all(
      others.map((id) =>
        noteUse(
          svc,
          id,
          decisions.filter((_, i) => questions[i]!.subject.id === id && !stintPermissionOf(questions[i]!.action)),
        ),
      ),
    );
  }
  return decisions;
}

function displayNameOf(item: Record<string, unknown> | undefined): string | null {
  const name = (item?.data as { displayName?: unknown } | undefined)?.displayName;
  return item?.type === 'group' && typeof name === 'string' ? name : null;
}
