/**
 * Moves one access review definition along to where its clock says it should be: finish starting an
 * instance, remind its reviewers halfway, end it (default decisions), apply its decisions, start the
 * next occurrence. Each step is a conditional write, so two runs at once cannot both take a step: the
 * loser gets a conflict and the next run finds the work done. Steps over many items stop when the time
 * budget runs out and leave the definition due, so the next run carries on.
 */
import type { Identity } from '../../domain/access-reviews/decisions.ts';
import { isOpen, nextRunAt, type DefinitionData, type InstanceData } from '../../domain/access-reviews/model.ts';
import { getDefinition, getInstance, instancesOf, moveDefinitionDue, replaceDefinition, replaceInstance, type Versioned } from '../../store/access-reviews.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { applyPending } from './apply-decisions.ts';
import type { Budget } from './budget.ts';
import { finishEnding, markEnding } from './complete-instance.ts';
import { auditReview, upcoming } from './definitions.ts';
import { finishStart, openInstance } from './start-instance.ts';

export type Step = 'started' | 'reminded' | 'ending' | 'completed' | 'applied' | 'unfinished' | 'finished' | 'rescheduled';

/** Sends the reminder emails (through the stream) by counting one more reminder on the instance. */
export async function remind(svc: Services, actor: Actor, def: DefinitionData, instance: Versioned<InstanceData>): Promise<Versioned<InstanceData>> {
  const reminded: InstanceData = { ...instance.data, remindersSent: instance.data.remindersSent + 1 };
  await commitChange(
    svc.table,
    [replaceInstance(reminded, instance.version)],
    auditReview(svc, actor, def, 'Send access review reminder', 'Update', { instanceId: reminded.id, reminder: String(reminded.remindersSent) }),
  );
  return { version: instance.version + 1, data: reminded };
}

/** Ends an instance now (an administrator's stop): it is Completing at once; as much of the rest as the budget allows happens here, the job does what is left. */
export async function stopNow(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  instance: Versioned<InstanceData>,
  stoppedBy: Identity,
  endDefinition: boolean,
  budget: Budget,
): Promise<void> {
  await markEnding(svc, actor, def, instance, { stoppedBy, endDefinition });
  await advanceDefinition(svc, actor, def.data.id, budget);
}

async function currentInstanceStep(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  instance: Versioned<InstanceData>,
  budget: Budget,
): Promise<Step | undefined> {
  const now = svc.clock.now();
  switch (instance.data.status) {
    case 'Starting':
      await finishStart(svc, actor, def, instance);
      return 'started';
    case 'Completing':
      return (await finishEnding(svc, actor, def, instance, budget)) ? 'completed' : 'unfinished';
    case 'InProgress':
      if (now.getTime() >= Date.parse(instance.data.endDateTime)) {
        await markEnding(svc, actor, def, instance);
        return 'ending';
      }
      if (instance.data.reminderAt && instance.data.remindersSent === 0 && now.getTime() >= Date.parse(instance.data.reminderAt)) {
        const reminded = await remind(svc, actor, def.data, instance);
        await reschedule(svc, def, reminded.data, undefined);
        return 'reminded';
      }
      return (await reschedule(svc, def, instance.data, undefined)) ? 'rescheduled' : undefined;
    default:
      return undefined;
  }
}

async function step(svc: Services, actor: Actor, def: Versioned<DefinitionData>, budget: Budget): Promise<Step | undefined> {
  const now = svc.clock.now();
  // Decisions being applied (auto-apply, or an administrator's applyDecisions) are finished first.
  const applying = (await instancesOf(svc.table, def.data.id)).find((i) => i.data.status === 'Applying');
  if (applying) return (await applyPending(svc, actor, def.data, applying, budget)) ? 'applied' : 'unfinished';
  if (def.data.currentInstanceId) {
    const instance = await getInstance(svc.table, def.data.id, def.data.currentInstanceId);
    return instance ? currentInstanceStep(svc, actor, def, instance, budget) : undefined;
  }
  if (def.data.status === 'Completed') return (await reschedule(svc, def, undefined, undefined)) ? 'rescheduled' : undefined;
  const next = upcoming(def.data, now);
  if (!next) {
    const finished: DefinitionData = { ...def.data, status: 'Completed', nextRunAt: null };
    await commitChange(
      svc.table,
      [replaceDefinition(finished, def.version)],
      auditReview(svc, actor, def.data, 'Access review finished its recurrence', 'Update'),
    );
    return 'finished';
  }
  if (next.start.getTime() <= now.getTime()) {
    const opened = await openInstance(svc, actor, def, next);
    await finishStart(svc, actor, opened.def, opened.instance);
    return 'started';
  }
  return (await reschedule(svc, def, undefined, next.start)) ? 'rescheduled' : undefined;
}

/** Keeps the definition's due time in step with what is next; true if it had to move. */
async function reschedule(svc: Services, def: Versioned<DefinitionData>, open: InstanceData | undefined, nextStart: Date | undefined): Promise<boolean> {
  const due = def.data.status === 'Completed' && !open ? null : nextRunAt(open && isOpen(open) ? open : undefined, nextStart, svc.clock.now());
  if (due === def.data.nextRunAt) return false;
  // Bookkeeping of the due index only, nothing a person did or would audit.
  await moveDefinitionDue(svc.table, { ...def.data, nextRunAt: due }, def.version);
  return true;
}

/** Runs the steps due for one definition now, while the budget lasts; a few at most, so one review cannot hold up the rest. */
export async function advanceDefinition(svc: Services, actor: Actor, id: string, budget: Budget): Promise<Step[]> {
  const steps: Step[] = [];
  for (let i = 0; i < 8 && budget.left(); i++) {
    const def = await getDefinition(svc.table, id);
    if (!def) break;
    const done = await step(svc, actor, def, budget);
    if (!done) break;
    steps.push(done);
    if (done === 'rescheduled' || done === 'finished' || done === 'unfinished') break;
  }
  return steps;
}
