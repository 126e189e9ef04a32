/** Export: every page of the shown kind of assignment to one CSV file, with progress and Cancel. */
import Button from '@cloudscape-design/components/button';
import { useRef, useState } from 'react';
import { useApp } from '../../app-context.tsx';
import type { AssignmentView } from './data.ts';
import { csvRow, toCsv } from './csv.ts';
import { fetchAllPages } from './export-csv.ts';

export function ExportButton({ path, view, fileName }: { path: string; view: AssignmentView; fileName: string }) {
  const { api, notify } = useApp();
  const [fetched, setFetched] = useState<number>();
  const abort = useRef<AbortController>(undefined);

  async function run() {
    abort.current = new AbortController();
    setFetched(0);
    try {
      const items = await fetchAllPages(api, path, setFetched, abort.current.signal);
      download(fileName, toCsv(items.map((s) => csvRow(s, view))));
      notify({ type: 'success', header: `Exported ${items.length} assignment${items.length === 1 ? '' : 's'}`, content: fileName });
    } catch (e) {
      if ((e as Error).name !== 'AbortError') notify({ type: 'error', header: 'Export failed', content: (e as Error).message });
    } finally {
      setFetched(undefined);
    }
  }

  if (fetched !== undefined)
    return (
      <Button iconName="close" onClick={() => abort.current?.abort()} ariaLabel={`Cancel export, ${fetched} assignments read so far`}>
        {`Exporting… ${fetched} read · Cancel`}
      </Button>
    );
  return (
    <Button iconName="download" onClick={() => void run()}>
      Export
    </Button>
  );
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
