/**
 * The approver's side of requests: what waits for me (every request collection asked with
 * filterByCurrentUser(on='approver')), with role and group names resolved, and deciding many at once.
 * Roles go through one batchRecordDecisions call per 100; groups have no batch call, so each is decided
 * on its open stage. Every request gets its own result: one failing never hides the others.
 */
import type { Api, Collection } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { APPROVALS_BETA, AWS, mine, query } from '../api/paths.ts';
import { decide, loadApproval } from './approvals.ts';
import { AWS_COLLECTIONS, COLLECTIONS, row, type GraphRequest, type RequestKind, type RequestRow } from './requests.ts';

export const QUEUE_PAGE = 100;

/** Names of roles and groups by id, read once per id (the approver views do not expand them). */
async function names(api: Api, rows: RequestRow[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const r of rows) {
    if (r.kind === 'roles' && r.roleDefinitionId)
      ids.set(r.roleDefinitionId, `${'/v1.0/roleManagement/directory/roleDefinitions'}/${encodeURIComponent(r.roleDefinitionId)}`);
    if (r.kind === 'groups' && r.groupId) ids.set(r.groupId, `/v1.0/groups/${encodeURIComponent(r.groupId)}`);
    if (r.kind === 'aws' && r.roleDefinitionId) ids.set(r.roleDefinitionId, `${AWS}/roleDefinitions/${encodeURIComponent(r.roleDefinitionId)}`);
  }
  const found = new Map<string, string>();
  await Promise.all(
    [...ids].map(async ([id, path]) => {
      const named = await api.get<{ displayName?: string }>(`${path}?$select=id,displayName`).catch(() => undefined);
      if (named?.displayName) found.set(id, named.displayName);
    }),
  );
  return found;
}

export function withNames(rows: RequestRow[], found: Map<string, string>): RequestRow[] {
  return rows.map((r) => {
    if ((r.kind === 'roles' || r.kind === 'aws') && r.roleDefinitionId && found.has(r.roleDefinitionId))
      return { ...r, target: found.get(r.roleDefinitionId)!, roleDefinition: { displayName: found.get(r.roleDefinitionId)! } };
    if (r.kind === 'groups' && r.groupId && found.has(r.groupId)) {
      const group = { displayName: found.get(r.groupId)! };
      return { ...r, group, target: `${r.accessId === 'owner' ? 'Owner' : 'Member'} of ${group.displayName}` };
    }
    return r;
  });
}

export interface ApproverPage {
  rows: RequestRow[];
  /** Some collection had more than one page: the list shows the first QUEUE_PAGE of each. */
  more: boolean;
}

/** Every request waiting for my decision, oldest first (the one closest to timing out on top). */
export async function loadQueue(api: Api): Promise<ApproverPage> {
  // AWS activations wait for approvers too; when AWS access is not connected (503) there are none.
  const awsActivations = AWS_COLLECTIONS.filter((c) => c.level === 'assignment');
  const lists = await Promise.all(
    [...COLLECTIONS, ...awsActivations].map(async (c) => {
      const url = `${mine(c.path, 'approver')}${query({ $filter: "status eq 'PendingApproval'", $top: QUEUE_PAGE })}`;
      const page = await api.get<Collection<GraphRequest>>(url).catch((error: unknown) => {
        if (c.kind === 'aws' && error instanceof ApiError && error.status === 503) return { value: [] } as Collection<GraphRequest>;
        throw error;
      });
      return { rows: page.value.map((r) => row(r, c.kind, c.level)), more: Boolean(page['@odata.nextLink']) };
    }),
  );
  const rows = lists.flatMap((l) => l.rows).sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
  return { rows: withNames(rows, await names(api, rows)), more: lists.some((l) => l.more) };
}

/** One page of requests I was an approver of that have ended (Graph lists them with on='approver'). */
export async function loadHistoryPage(api: Api, kind: RequestKind, link?: string): Promise<{ rows: RequestRow[]; next?: string }> {
  const c = COLLECTIONS.find((x) => x.kind === kind && x.level === 'assignment')!;
  const page = await api.get<Collection<GraphRequest>>(link ?? `${mine(c.path, 'approver')}${query({ $filter: "status ne 'PendingApproval'", $top: 25 })}`);
  const rows = page.value.map((r) => row(r, c.kind, c.level));
  return { rows: withNames(rows, await names(api, rows)), next: page['@odata.nextLink'] };
}

export interface MyDecision {
  /** Undefined when I did not decide: another approver did (`by`), or the approval timed out. */
  result?: 'Approved' | 'Denied';
  at: string | null;
  justification: string | null;
  by?: string;
}

/** What I decided on a request, read from its approval; otherwise who did. */
export async function myDecision(api: Api, r: RequestRow, meId: string): Promise<MyDecision> {
  const steps = await loadApproval(api, r.kind, r.approvalId ?? r.id).catch(() => []);
  const step = steps.find((s) => s.reviewedBy?.some((p) => p.id === meId));
  if (step && step.reviewResult !== 'NotReviewed') return { result: step.reviewResult, at: step.reviewedDateTime, justification: step.justification };
  const other = steps.find((s) => s.reviewResult !== 'NotReviewed' && s.reviewedBy?.length);
  return { at: other?.reviewedDateTime ?? null, justification: null, by: other?.reviewedBy?.map((p) => p.displayName ?? p.id).join(', ') };
}

export interface DecisionResult {
  row: RequestRow;
  ok: boolean;
  message: string;
}

/** Why a decision failed, in plain words; "already decided by …" when another approver was first. */
async function failure(api: Api, r: RequestRow, error: { code?: string; message: string }): Promise<string> {
  const steps = await loadApproval(api, r.kind, r.approvalId ?? r.id).catch(() => []);
  const decided = steps.find((s) => s.reviewResult !== 'NotReviewed' && s.reviewedBy?.length);
  if (decided) {
    const who = decided.reviewedBy!.map((p) => p.displayName ?? p.id).join(', ');
    return `Already ${decided.reviewResult === 'Approved' ? 'approved' : 'denied'} by ${who}.`;
  }
  if (steps.some((s) => s.status === 'Expired')) return 'The approval timed out.';
  return error.message;
}

export async function decideMany(api: Api, rows: RequestRow[], result: 'Approve' | 'Deny', justification: string): Promise<DecisionResult[]> {
  const done: DecisionResult[] = [];
  const ok = result === 'Approve' ? 'Approved' : 'Denied';
  // AWS requests are approved through the directory's roleAssignmentApprovals, as role requests are.
  const roles = rows.filter((r) => r.kind === 'roles' || r.kind === 'aws');
  for (let i = 0; i < roles.length; i += 100) {
    const chunk = roles.slice(i, i + 100);
    const answer = await api.post<{ value: { approvalId: string; status: string; error?: { code: string; message: string } }[] }>(
      `${APPROVALS_BETA}/batchRecordDecisions`,
      {
        approvalIds: chunk.map((r) => r.approvalId ?? r.id),
        reviewResult: result,
        justification,
      },
    );
    for (const r of chunk) {
      const a = answer.value.find((v) => v.approvalId === (r.approvalId ?? r.id));
      if (a && a.status !== 'Failed') done.push({ row: r, ok: true, message: ok });
      else done.push({ row: r, ok: false, message: await failure(api, r, a?.error ?? { message: 'No answer for this request.' }) });
    }
  }
  await Promise.all(
    rows
      .filter((r) => r.kind === 'groups')
      .map(async (r) => {
        try {
          const steps = await loadApproval(api, r.kind, r.approvalId ?? r.id);
          const step = steps.find((s) => s.assignedToMe);
          if (!step) throw new ApiError(409, 'NotAssigned', 'This request no longer waits for you.');
          await decide(api, r.kind, r.approvalId ?? r.id, step.id, result, justification);
          done.push({ row: r, ok: true, message: ok });
        } catch (error) {
          done.push({ row: r, ok: false, message: await failure(api, r, error as Error) });
        }
      }),
  );
  return rows.map((r) => done.find((d) => d.row === r)!);
}
