/**
 * Fix one incident: says what will happen, then asks the API to do it (through its audited paths). A
 * refusal, such as keeping the last Global Administrator, is shown as the API words it.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { ApiError, StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { ModalFooter } from '../../components/modal-footer.tsx';
import { fixSentence, type Incident } from '../../domain/alerts.ts';
import { alertPath } from './alert-data.ts';

export function FixModal({
  alertId,
  alertName,
  incident,
  onClose,
  onDone,
}: {
  alertId: string;
  alertName: string;
  incident: Incident;
  onClose: () => void;
  onDone: () => void;
}) {
  const { api, notify, session } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  async function fix() {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`${alertPath(alertId)}/alertIncidents/${encodeURIComponent(incident.id)}/remediate`);
      notify({ type: 'success', header: 'Incident fixed', content: fixSentence(alertId, incident) });
      onDone();
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.pathname + window.location.search, e.maxAgeSeconds);
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onClose}
      closeAriaLabel="Close"
      header="Fix this incident?"
      footer={
        <ModalFooter onCancel={onClose}>
          <Button variant="primary" loading={busy} onClick={() => void fix()}>
            Fix
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        <Box variant="p">{fixSentence(alertId, incident)}</Box>
        <Box variant="p" color="text-body-secondary">
          The change goes through PIM like an administrator&rsquo;s own, with its rules and an audit record (&ldquo;Fixing the PIM alert &lsquo;{alertName}
          &rsquo;&rdquo;).
        </Box>
        {error && (
          <Alert type="error" header="The fix was refused">
            {error.message}
            {error instanceof ApiError && (
              <Box variant="small" display="block" margin={{ top: 'xxs' }}>
                {error.code} (HTTP {error.status})
              </Box>
            )}
          </Alert>
        )}
      </SpaceBetween>
    </Modal>
  );
}
