/** Deactivate, Extend and Renew: a reason (and for Extend/Renew how long), then the self action. */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { describeDuration, durationHours, Time } from '../../components/time.tsx';
import { href } from '../../router.tsx';
import { selfRequest, type Holding, type Level } from './data.ts';

export type SelfAction = 'selfDeactivate' | 'selfExtend' | 'selfRenew';

const LABEL: Record<SelfAction, string> = { selfDeactivate: 'Deactivate', selfExtend: 'Extend', selfRenew: 'Renew' };

export function SelfActionModal({
  holding,
  level,
  action,
  onClose,
  onDone,
}: {
  holding: Holding;
  level: Level;
  action: SelfAction;
  onClose: () => void;
  onDone: () => void;
}) {
  const { api, me, notify, session } = useApp();
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('30');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const label = LABEL[action];
  const name =
    holding.kind === 'groups'
      ? `${holding.roleName} of ${holding.scopeName}`
      : holding.kind === 'aws'
        ? `${holding.roleName} in ${holding.scopeName}`
        : holding.roleName;
  const sessions = holding.aws?.sessionDuration;
  const asksDuration = action !== 'selfDeactivate';

  async function submit() {
    if (asksDuration && !(Number(days) > 0)) return setError('Enter how many days.');
    if (action !== 'selfDeactivate' && !reason.trim()) return setError('A reason is required.');
    setBusy(true);
    setError(undefined);
    try {
      const extra: Record<string, unknown> = { justification: reason.trim() || undefined };
      if (asksDuration) extra.scheduleInfo = { expiration: { type: 'afterDuration', duration: `P${Number(days)}D` } };
      const { path, body } = selfRequest(holding, level, me.id, action, extra);
      const created = await api.post<{ id: string; status: string }>(path, body);
      const pending = created?.status === 'PendingApproval';
      notify({
        type: pending ? 'info' : 'success',
        header: `${name}: ${action === 'selfDeactivate' ? 'deactivated' : pending ? `${label.toLowerCase()} request pending approval` : `${label.toLowerCase()} requested`}`,
        content: pending ? (
          'An administrator decides on it; you will get an email.'
        ) : action === 'selfDeactivate' && sessions ? (
          // Deleting the account assignment stops new sessions only; the API keeps no list of revoked ones to show later.
          <>
            Sessions issued before may last until <Time value={new Date(Date.now() + (durationHours(sessions) ?? 0) * 3_600_000).toISOString()} />.
          </>
        ) : undefined,
        action: created?.id ? (
          <Button variant="inline-link" href={href(`/requests/${created.id}`)}>
            View request
          </Button>
        ) : undefined,
      });
      onDone();
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(`${href('/my-roles')}?tab=${holding.kind}`);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      closeAriaLabel="Close"
      visible
      onDismiss={onClose}
      header={`${label} – ${name}`}
      footer={
        <ModalFooter onCancel={onClose}>
          <Button variant="primary" loading={busy} onClick={() => void submit()}>
            {label}
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        {action === 'selfDeactivate' && <Box>Your access ends now. You can activate again later within your eligibility.</Box>}
        {action === 'selfDeactivate' && sessions && (
          <Alert type="info">
            IAM Identity Center removes the account assignment, which stops new sign-ins to the account. Sessions already issued keep working until they run
            out: up to {describeDuration(sessions)}.
          </Alert>
        )}
        {action === 'selfExtend' && <Box>An administrator decides on extensions. Your access continues until it ends or they extend it.</Box>}
        {action === 'selfRenew' && <Box>An administrator decides on renewals.</Box>}
        {asksDuration && (
          <FormField label="Duration (days)">
            <Input type="number" value={days} onChange={(e) => setDays(e.detail.value)} />
          </FormField>
        )}
        <FormField label="Reason" description={action === 'selfDeactivate' ? 'Optional.' : 'Required.'}>
          <Textarea value={reason} onChange={(e) => setReason(e.detail.value)} rows={3} />
        </FormField>
        {error && <Alert type="error">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
