/**
 * One page at a time from the server, following `@odata.nextLink` (Graph's paging): the links of the
 * pages seen so far are kept so that Previous works, and Cloudscape's Pagination shows an open end while
 * the server says there is more.
 */
import { useEffect, useState } from 'react';
import type { Api, Collection } from '../../api/client.ts';

export interface ServerPages<T> {
  items: T[];
  /** 1-based, as Cloudscape's Pagination counts. */
  pageIndex: number;
  pagesCount: number;
  openEnd: boolean;
  loading: boolean;
  error?: Error;
  goTo: (pageIndex: number) => void;
  reload: () => void;
}

export function useServerPages<T>(api: Api, firstPage: string, version = 0): ServerPages<T> {
  const [links, setLinks] = useState<string[]>([firstPage]);
  const [pageIndex, setPageIndex] = useState(1);
  const [round, setRound] = useState(0);
  const [state, setState] = useState<{ items: T[]; next?: string; loading: boolean; error?: Error }>({ items: [], loading: true });

  // A new query (filter, role, tab) starts again at its first page.
  useEffect(() => {
    setLinks([firstPage]);
    setPageIndex(1);
  }, [firstPage, version]);

  const link = links[pageIndex - 1] ?? firstPage;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api.get<Collection<T>>(link).then(
      (page) => {
        if (!live) return;
        const next = page['@odata.nextLink'];
        setState({ items: page.value, next, loading: false });
        if (next) setLinks((l) => (l[pageIndex] === next ? l : [...l.slice(0, pageIndex), next]));
      },
      (error: Error) => live && setState({ items: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [api, link, pageIndex, round]);

  return {
    items: state.items,
    pageIndex,
    pagesCount: Math.max(links.length, pageIndex),
    openEnd: Boolean(state.next),
    loading: state.loading,
    error: state.error,
    goTo: (i) => setPageIndex(Math.min(Math.max(1, i), links.length)),
    reload: () => setRound((r) => r + 1),
  };
}
