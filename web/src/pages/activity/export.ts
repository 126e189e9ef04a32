/**
 * Downloads what the filters select, chunk by chunk (the export answers at most a few MB at a time with
 * a link to the next chunk), reporting progress, then hands the browser one file.
 */
import type { Api } from '../../api/client.ts';
import { errorFrom } from '../../api/errors.ts';
import { AUDIT, query } from '../../api/paths.ts';

export interface ExportProgress {
  records: number;
  reached?: string;
  done: boolean;
}

export async function exportAudit(
  api: Api,
  format: 'csv' | 'json',
  filter: string | undefined,
  onProgress: (p: ExportProgress) => void,
  signal: AbortSignal,
): Promise<Blob> {
  const parts: Blob[] = [];
  let next: string | undefined = `${AUDIT}/export${query({ format, $filter: filter })}`;
  while (next) {
    const response: Response = await fetch(api.url(next), {
      headers: { authorization: `Bearer ${await api.token()}`, 'stint-export': 'paged' },
      signal,
    });
    if (!response.ok) throw await errorFrom(response);
    parts.push(await response.blob());
    const records = Number(response.headers.get('stint-export-records') ?? 0);
    const reached = response.headers.get('stint-export-reached') ?? undefined;
    const more = response.headers.get('stint-export-next');
    onProgress({ records, reached, done: !more });
    next = more ? `${AUDIT}/export${query({ format, $filter: filter, $skiptoken: more })}` : undefined;
  }
  return new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/json' });
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
