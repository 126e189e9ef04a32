/**
 * Graph's `activatedUsing`: the eligibility an activation was made from. It is a relationship, so Graph
 * shows it only under `$expand=activatedUsing`, as the eligibility object itself. Views carry its id
 * under a symbol, which JSON leaves out, until an expander asks for it.
 */
import type { Schedule } from '../../../domain/schedule.ts';
import { getSchedule } from '../../../store/role-schedules.ts';
import type { Services } from '../../context.ts';
import type { ViewKind } from './role-views.ts';

const ACTIVATED_USING = Symbol('activatedUsing');

interface Link {
  id: string;
  /** Requests and schedules point at an eligibility schedule; instances at an eligibility instance. */
  view: ViewKind;
}

/** The view, remembering (out of JSON's sight) the eligibility it was activated from. */
export function linkActivatedUsing<T extends object>(view: T, eligibilityId: string | null | undefined, as: ViewKind): T {
  if (eligibilityId) Object.defineProperty(view, ACTIVATED_USING, { value: { id: eligibilityId, view: as } satisfies Link, enumerable: true });
  return view;
}

export type PresentSchedule = (s: Schedule, view: ViewKind) => Record<string, unknown>;

/** Each item with `activatedUsing` set: the eligibility as its API shows it, or null (an admin's assignment, or one since removed). */
export async function expandActivatedUsing<T extends object>(svc: Services, items: T[], present: PresentSchedule): Promise<T[]> {
  const links = items.map((item) => (item as Record<symbol, Link | undefined>)[ACTIVATED_USING]);
  const ids = [...new Set(links.flatMap((l) => (l ? [l.id] : [])))];
  const found = new Map((await Promise.all(ids.map((id) => getSchedule(svc.table, id)))).flatMap((s) => (s ? [[s.data.id, s.data] as const] : [])));
  return items.map((item, i) => {
    const link = links[i];
    const eligibility = link ? found.get(link.id) : undefined;
    return { ...item, activatedUsing: eligibility && link ? present(eligibility, link.view) : null };
  });
}
