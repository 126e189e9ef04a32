/**
 * Approve / Deny / Don't know for the selected items or for every item I review, with Entra's
 * "Provide a reason" (required when the review's settings say so for approvals).
 */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import type { Verdict } from '../../domain/reviews.ts';

export function DecideModal({
  what,
  reasonRequiredOnApprove,
  onConfirm,
  onDismiss,
}: {
  /** "3 selected items" or "every item you review". */
  what: string;
  reasonRequiredOnApprove: boolean;
  onConfirm: (decision: Verdict, justification: string) => Promise<void>;
  onDismiss: () => void;
}) {
  const [decision, setDecision] = useState<Verdict>('Approve');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const required = decision === 'Approve' && reasonRequiredOnApprove;

  async function confirm() {
    if (required && !reason.trim()) return setError('This review asks for a reason when you approve.');
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(decision, reason.trim());
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onDismiss}
      header={`Review ${what}`}
      footer={
        <ModalFooter onCancel={onDismiss}>
          <Button variant="primary" loading={busy} onClick={() => void confirm()}>
            Submit
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        <FormField label="Decision">
          <RadioGroup
            value={decision}
            onChange={(e) => setDecision(e.detail.value as Verdict)}
            ariaLabel="Decision"
            items={[
              { value: 'Approve', label: 'Approve', description: 'They keep this access.' },
              { value: 'Deny', label: 'Deny', description: 'The access is removed when the results are applied.' },
              { value: 'DontKnow', label: "Don't know", description: 'Leave it to the recommendation or the review’s default.' },
            ]}
          />
        </FormField>
        <FormField label="Provide a reason" constraintText={required ? 'Required for approvals in this review.' : 'Optional.'} errorText={error}>
          <Textarea value={reason} onChange={(e) => setReason(e.detail.value)} rows={3} />
        </FormField>
      </SpaceBetween>
    </Modal>
  );
}
