/** Loading, empty and error states, the same on every page. */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import { useCallback, useEffect, useState } from 'react';

export function Empty({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <Box textAlign="center" color="inherit" padding="m">
      <Box variant="strong" color="inherit">
        {title}
      </Box>
      {children && (
        <Box variant="p" color="inherit">
          {children}
        </Box>
      )}
    </Box>
  );
}

export function LoadError({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <Alert type="error" header="Could not load" action={retry && <Button onClick={retry}>Retry</Button>}>
      {error.message}
    </Alert>
  );
}

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `key` changes (and on reload); stale answers from an earlier key are dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  return { ...state, reload };
}
