/**
 * What a change on the table means for the request-lifecycle runs (the workflow half of the outbox):
 * a request that starts waiting for approval, or a schedule that now has a start or end to wait for,
 * starts the run of the request that times it; a decision wakes the run waiting on it; a cancel or a
 * removed schedule stops its run at once. A membership that ended (a group member removed, a PIM for
 * groups membership removed or expired) ends the activations made through it: the service does so at
 * once, and this signal makes sure of it should that attempt have failed. Pure: the stream handler
 * unmarshals and carries these out.
 */
import { isGroupMembership } from './group-access.ts';
import { holdsAssignment, isAwsScope } from './aws-access.ts';
import { AWS_RUN_MARK, hasFutureEvent } from './lifecycle.ts';
import { timerOf, type Schedule } from './schedule.ts';

export type Signal =
  | { kind: 'start'; requestId: string; runName?: string }
  | { kind: 'resume'; taskToken: string }
  | { kind: 'stop'; requestId: string; cause: string }
  | { kind: 'leftGroup'; principalId: string };

export interface Change {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldItem?: Record<string, unknown>;
  newItem?: Record<string, unknown>;
}

interface RequestItem {
  version: number;
  taskToken?: string;
  data: { id: string; status: string };
}

const isType = (item: Record<string, unknown> | undefined, type: string): boolean => item?.type === type;

export function signalsOf(change: Change, now: Date): Signal[] {
  const { oldItem, newItem } = change;
  if (isType(newItem, 'request') || isType(oldItem, 'request')) return requestSignals(oldItem as RequestItem | undefined, newItem as RequestItem | undefined);
  if (isType(newItem, 'schedule') || isType(oldItem, 'schedule')) {
    const [before, after] = [(oldItem?.data as Schedule | undefined) ?? undefined, (newItem?.data as Schedule | undefined) ?? undefined];
    return [...scheduleSignals(before, after, now), ...membershipEnded(before, after), ...awsSync(before, after, now, newItem?.version)];
  }
  if (isType(oldItem, 'membership') && !newItem) return [{ kind: 'leftGroup', principalId: String(oldItem!.memberId) }];
  return [];
}

function requestSignals(before: RequestItem | undefined, after: RequestItem | undefined): Signal[] {
  if (!after) return [];
  const id = after.data.id;
  const wasPending = before?.data.status === 'PendingApproval';
  const isPending = after.data.status === 'PendingApproval';
  if (!before) return isPending ? [{ kind: 'start', requestId: id }] : [];
  if (after.data.status === 'Canceled' && before.data.status !== 'Canceled') return [{ kind: 'stop', requestId: id, cause: 'request canceled' }];
  // A decision (final, or one that opens the next stage with its own deadline) wakes the waiting run,
  // which re-reads the request. Storing the token itself changes no version and so wakes nothing.
  if (wasPending && before.taskToken && before.version !== after.version) return [{ kind: 'resume', taskToken: before.taskToken }];
  return [];
}

function scheduleSignals(before: Schedule | undefined, after: Schedule | undefined, now: Date): Signal[] {
  if (!after) {
    return before && before.status !== 'Expired' ? [{ kind: 'stop', requestId: timerOf(before), cause: 'schedule removed' }] : [];
  }
  const handedOver = !before || timerOf(before) !== timerOf(after);
  return handedOver && hasFutureEvent(after, now) ? [{ kind: 'start', requestId: timerOf(after) }] : [];
}

/** A PIM for groups membership that was removed or expired (one deleted by TTL had long ended). */
function membershipEnded(before: Schedule | undefined, after: Schedule | undefined): Signal[] {
  if (!before || !isGroupMembership(before) || before.status === 'Expired') return [];
  return !after || after.status === 'Expired' ? [{ kind: 'leftGroup', principalId: before.principalId }] : [];
}

/**
 * AWS access whose holding changed where the timing run will not see it (a removal or early end stops that
 * run; a permanent assignment has none; the sweeper may expire what a lost run did not) gets a run of its
 * own that only brings the account assignment in line. A new schedule with something to wait for is left
 * to its timing run, which grants first thing.
 */
function awsSync(before: Schedule | undefined, after: Schedule | undefined, now: Date, version: unknown): Signal[] {
  const s = after ?? before;
  if (!s || s.kind !== 'assignment' || !isAwsScope(s.directoryScopeId)) return [];
  if (holdsAssignment(before) === holdsAssignment(after)) return [];
  if (!before && after && hasFutureEvent(after, now)) return [];
  const requestId = timerOf(s);
  return [{ kind: 'start', requestId, runName: `${requestId}${AWS_RUN_MARK}${after ? String(version ?? 'v') : 'end'}` }];
}
