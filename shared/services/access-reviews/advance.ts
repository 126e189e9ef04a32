/**
 * Moves one access review definition along to where its clock says it should be: finish starting an
 * instance, remind its reviewers halfway, end it (default decisions, auto-apply), start the next
 * occurrence. Each step is a conditional write, so two runs at once cannot both take a step: the loser
 * gets a conflict and the next run finds the work done.
 */
import { isOpen, nextRunAt, type DefinitionData, type InstanceData } from '../../domain/access-reviews/model.ts';
import type { Identity } from '../../domain/access-reviews/decisions.ts';
import { getDefinition, getInstance, instancesOf, moveDefinitionDue, replaceDefinition, replaceInstance, type Versioned } from '../../store/access-reviews.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { applyPending, beginApplying } from './apply-decisions.ts';
import { completeInstance } from './complete-instance.ts';
import { auditReview, upcoming } from './definitions.ts';
import { finishStart, openInstance } from './start-instance.ts';

export type Step = 'started' | 'reminded' | 'completed' | 'applied' | 'finished' | 'rescheduled';

/** Ends an instance and, if the review auto-applies, applies its decisions. */
export async function endInstance(svc: Services, actor: Actor, def: Versioned<DefinitionData>, instance: Versioned<InstanceData>, options: { stoppedBy?: Identity; endDefinition?: boolean } = {}): Promise<Versioned<InstanceData>> {
  const ended = await completeInstance(svc, actor, def, instance, options);
  if (!def.data.settings.autoApplyDecisionsEnabled) return ended.instance;
  const applying = await beginApplying(svc, actor, ended.def.data, ended.instance);
  return applyPending(svc, actor, ended.def.data, applying);
}

/** Sends the reminder emails (through the stream) by counting one more reminder on the instance. */
export async function remind(svc: Services, actor: Actor, def: DefinitionData, instance: Versioned<InstanceData>): Promise<Versioned<InstanceData>> {
  const reminded: InstanceData = { ...instance.data, remindersSent: instance.data.remindersSent + 1 };
  const writes = [replaceInstance(reminded, instance.version)];
  await commitChange(svc.table, writes, auditReview(svc, actor, def, 'Send access review reminder', 'Update', { instanceId: reminded.id, reminder: String(reminded.remindersSent) }));
  return { version: instance.version + 1, data: reminded };
}

async function step(svc: Services, actor: Actor, def: Versioned<DefinitionData>): Promise<Step | undefined> {
  const now = svc.clock.now();
  if (def.data.currentInstanceId) {
    const instance = await getInstance(svc.table, def.data.id, def.data.currentInstanceId);
    if (!instance) return undefined;
    if (instance.data.status === 'Starting') {
      await finishStart(svc, actor, def, instance);
      return 'started';
    }
    if (instance.data.status !== 'InProgress') return undefined;
    if (now.getTime() >= Date.parse(instance.data.endDateTime)) {
      await endInstance(svc, actor, def, instance);
      return 'completed';
    }
    if (instance.data.reminderAt && instance.data.remindersSent === 0 && now.getTime() >= Date.parse(instance.data.reminderAt)) {
      const reminded = await remind(svc, actor, def.data, instance);
      await reschedule(svc, def, reminded.data, undefined);
      return 'reminded';
    }
    return (await reschedule(svc, def, instance.data, undefined)) ? 'rescheduled' : undefined;
  }
  // An auto-apply that was interrupted is finished before anything else.
  const last = (await instancesOf(svc.table, def.data.id)).at(-1);
  if (last?.data.status === 'Applying') {
    await applyPending(svc, actor, def.data, last);
    return 'applied';
  }
  if (def.data.status === 'Completed') return (await reschedule(svc, def, undefined, undefined)) ? 'rescheduled' : undefined;
  const next = upcoming(def.data, now);
  if (!next) {
    const finished: DefinitionData = { ...def.data, status: 'Completed', nextRunAt: null };
    await commitChange(svc.table, [replaceDefinition(finished, def.version)], auditReview(svc, actor, def.data, 'Access review finished its recurrence', 'Update'));
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
  const due = def.data.status === 'Completed' && !open ? null : nextRunAt(open && isOpen(open) ? open : undefined, nextStart);
  if (due === def.data.nextRunAt) return false;
  // Bookkeeping of the due index only, nothing a person did or would audit.
  await moveDefinitionDue(svc.table, { ...def.data, nextRunAt: due }, def.version);
  return true;
}

/** Runs the steps due for one definition now; at most a few, so that one review cannot hold up the rest. */
export async function advanceDefinition(svc: Services, actor: Actor, id: string): Promise<Step[]> {
  const steps: Step[] = [];
  for (let i = 0; i < 6; i++) {
    const def = await getDefinition(svc.table, id);
    if (!def) break;
    const done = await step(svc, actor, def);
    if (!done) break;
    steps.push(done);
    if (done === 'rescheduled' || done === 'finished') break;
  }
  return steps;
}
