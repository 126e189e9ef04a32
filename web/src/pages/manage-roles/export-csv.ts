/** Every page of a role's assignments of one kind, for Export (with progress: roles held by thousands). */
import type { Api, Collection } from '../../api/client.ts';
import type { Schedule } from './data.ts';

export async function fetchAllPages(api: Api, first: string, onProgress: (fetched: number) => void, signal: AbortSignal): Promise<Schedule[]> {
  const items: Schedule[] = [];
  let next: string | undefined = first;
  while (next) {
    if (signal.aborted) throw new DOMException('Export cancelled', 'AbortError');
    const page: Collection<Schedule> = await api.get<Collection<Schedule>>(next);
    items.push(...page.value);
    onProgress(items.length);
    next = page['@odata.nextLink'];
  }
  return items;
}
