/**
 * Entra's decision pane for one or many requests: Approve or Deny, one Justification, Confirm. The
 * results come back per request (one may fail because another approver was first) and are shown by
 * the page, not here.
 */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import type { RequestRow } from '../../domain/requests.ts';

export type Verdict = 'Approve' | 'Deny';

export function DecisionModal({
  verdict,
  rows,
  onConfirm,
  onDismiss,
}: {
  verdict: Verdict;
  rows: RequestRow[];
  onConfirm: (justification: string) => Promise<void>;
  onDismiss: () => void;
}) {
  const [justification, setJustification] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const noun = rows.length === 1 ? 'request' : `${rows.length} requests`;

  async function confirm() {
    if (!justification.trim()) return setError('Give a justification for your decision.');
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(justification.trim());
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onDismiss}
      header={`${verdict} ${noun}`}
      footer={
        <ModalFooter onCancel={onDismiss}>
          <Button variant="primary" loading={busy} onClick={() => void confirm()}>
            Confirm
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        <Box variant="p">
          {verdict === 'Approve' ? 'Approving' : 'Denying'}:{' '}
          {rows
            .slice(0, 5)
            .map((r) => `${r.principal?.displayName ?? r.createdBy?.user?.displayName ?? r.principalId} — ${r.target}`)
            .join('; ')}
          {rows.length > 5 ? ` and ${rows.length - 5} more` : ''}.
        </Box>
        <FormField
          label="Justification"
          description="Recorded with your name and sent to the requester."
          errorText={error && !justification.trim() ? error : undefined}
        >
          <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} rows={3} ariaLabel="Justification" />
        </FormField>
        {error && justification.trim() && <Alert type="error">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
