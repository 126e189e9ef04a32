/** An API refusal shown as the API said it (its message verbatim, its code and status for the curious). */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import { ApiError, StepUpRequired } from '../api/errors.ts';
import { useApp } from '../app-context.tsx';

export function ApiErrorAlert({ header, error, onDismiss }: { header: string; error: Error | undefined; onDismiss?: () => void }) {
  const { session } = useApp();
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  return (
    <Alert
      type="error"
      header={header}
      dismissible={Boolean(onDismiss)}
      onDismiss={onDismiss}
      action={
        error instanceof StepUpRequired ? (
          <Button onClick={() => void session.stepUp(window.location.pathname + window.location.search, error.maxAgeSeconds)}>Verify your identity</Button>
        ) : undefined
      }
    >
      {error.message}
      {api && (
        <Box variant="small" display="block" margin={{ top: 'xxs' }}>
          {api.code} (HTTP {api.status})
        </Box>
      )}
    </Alert>
  );
}
