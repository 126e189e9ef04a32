/**
 * Confirms an action on a selection: says what will happen to how many assignments, takes an optional
 * justification (kept in the audit record), and shows a refusal of the whole selection as the API words it.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState, type ReactNode } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { ModalFooter } from '../../components/modal-footer.tsx';

export function ConfirmActionModal({
  header,
  confirmText,
  children,
  onConfirm,
  onClose,
}: {
  header: string;
  confirmText: string;
  children: ReactNode;
  onConfirm: (justification: string | undefined) => Promise<void>;
  onClose: () => void;
}) {
  const { session } = useApp();
  const [justification, setJustification] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(justification.trim() || undefined);
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.pathname + window.location.search, e.maxAgeSeconds);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onClose}
      closeAriaLabel="Close"
      header={header}
      footer={
        <ModalFooter onCancel={onClose}>
          <Button variant="primary" loading={busy} onClick={() => void confirm()}>
            {confirmText}
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        <Box variant="div">{children}</Box>
        <FormField label="Justification" description="Optional. Kept in the audit record of each change.">
          <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} rows={2} ariaLabel="Justification" />
        </FormField>
        {error && (
          <Alert type="error" header="Nothing was changed">
            {error}
          </Alert>
        )}
      </SpaceBetween>
    </Modal>
  );
}
