/**
 * A list paged on the server: the first page from `firstPath`, each next one from the `@odata.nextLink`
 * of the page before (so Pagination is open-ended: the total is never counted). Pages already seen are
 * kept, so going back costs no request. A new `firstPath` (a new search) starts over at page 1.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api, Collection } from '../api/client.ts';

export interface ServerPages<T> {
  items: T[];
  /** 1-based. */
  pageIndex: number;
  /** Pages known so far; one more exists when `hasMore`. */
  pagesCount: number;
  hasMore: boolean;
  loading: boolean;
  error?: Error;
  goTo: (pageIndex: number) => void;
  reload: () => void;
}

interface State<T> {
  pages: T[][];
  /** links[i] fetches page i + 1; the last may be undefined (no more pages). */
  links: (string | undefined)[];
  index: number;
  loading: boolean;
  error?: Error;
}

export function useServerPages<T>(api: Api, firstPath: string | undefined): ServerPages<T> {
  const [state, setState] = useState<State<T>>({ pages: [], links: [firstPath], index: 0, loading: true });
  const [round, setRound] = useState(0);
  const live = useRef(0);

  const fetchPage = useCallback(
    (links: (string | undefined)[], pages: T[][], index: number) => {
      const link = links[index];
      if (!link) return;
      const ticket = ++live.current;
      setState({ pages, links, index, loading: true });
      api.get<Collection<T>>(link).then(
        (page) => {
          if (ticket !== live.current) return;
          const nextPages = [...pages];
          nextPages[index] = page.value;
          const nextLinks = links.slice(0, index + 1);
          nextLinks[index + 1] = page['@odata.nextLink'];
          setState({ pages: nextPages, links: nextLinks, index, loading: false });
        },
        (error: Error) => ticket === live.current && setState({ pages, links, index, loading: false, error }),
      );
    },
    [api],
  );

  useEffect(() => {
    if (!firstPath) {
      live.current++;
      setState({ pages: [], links: [undefined], index: 0, loading: false });
      return;
    }
    fetchPage([firstPath], [], 0);
  }, [firstPath, round, fetchPage]);

  const goTo = useCallback(
    (pageIndex: number) => {
      const index = pageIndex - 1;
      if (state.pages[index]) setState((s) => ({ ...s, index, error: undefined }));
      else fetchPage(state.links, state.pages, index);
    },
    [state, fetchPage],
  );
  const reload = useCallback(() => setRound((r) => r + 1), []);

  return {
    items: state.pages[state.index] ?? [],
    pageIndex: state.index + 1,
    pagesCount: Math.max(state.pages.length, 1),
    hasMore: Boolean(state.links[state.pages.length]),
    loading: state.loading,
    error: state.error,
    goTo,
    reload,
  };
}
