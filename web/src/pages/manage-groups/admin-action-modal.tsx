/** Remove, Extend or Renew one member's or owner's assignment: a justification, a new end for Extend and Renew. */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { DateTimeField, localDateTime, toIso } from '../../components/date-time-field.tsx';
import { Time } from '../../components/time.tsx';
import { href, useLocation } from '../../router.tsx';
import { adminRequest, requestPath, type GroupAssignment } from './group-data.ts';

export type RowAction = 'adminRemove' | 'adminExtend' | 'adminRenew';

const LABEL: Record<RowAction, string> = { adminRemove: 'Remove', adminExtend: 'Extend', adminRenew: 'Renew' };

export function AdminActionModal({
  groupId,
  groupName,
  row,
  action,
  onClose,
  onDone,
}: {
  groupId: string;
  groupName: string;
  row: GroupAssignment;
  action: RowAction;
  onClose: () => void;
  onDone: () => void;
}) {
  const { api, notify, session } = useApp();
  const location = useLocation();
  const from = row.endDateTime && Date.parse(row.endDateTime) > Date.now() ? Date.parse(row.endDateTime) : Date.now();
  const [end, setEnd] = useState(localDateTime(new Date(from + 30 * 86_400_000)));
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const label = LABEL[action];
  const role = row.accessId === 'owner' ? 'Owner' : 'Member';
  const endIso = action === 'adminRemove' ? undefined : toIso(end);
  const endError = action !== 'adminRemove' && (!endIso || Date.parse(endIso) <= Date.now()) ? 'Enter an end in the future.' : undefined;

  async function submit() {
    if (endError) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post(
        requestPath(row.level),
        adminRequest({
          action,
          groupId,
          accessId: row.accessId,
          principalId: row.principalId,
          justification: justification.trim() || undefined,
          start: action === 'adminRenew' ? new Date().toISOString() : (row.startDateTime ?? undefined),
          end: endIso,
        }),
      );
      notify({ type: 'success', header: `${label}: done`, content: `${row.principal.displayName} · ${role} of ${groupName}.` });
      onDone();
    } catch (e) {
      if (e instanceof StepUpRequired) {
        await session.stepUp(href(`${location.path}?${location.search.toString()}`), e.maxAgeSeconds);
        return;
      }
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onClose}
      header={`${label} ${row.level === 'eligibility' ? 'eligible' : 'active'} assignment`}
      footer={
        <ModalFooter onCancel={onClose}>
          <Button variant="primary" loading={busy} onClick={() => void submit()}>
            {label}
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        <Box>
          {row.principal.displayName} · {role} of {groupName}
          {row.endDateTime ? (
            <>
              {' '}
              · ends <Time value={row.endDateTime} />
            </>
          ) : (
            ' · permanent'
          )}
        </Box>
        {error && (
          <Alert type="error" header={`${label} was refused`}>
            {error}
          </Alert>
        )}
        {action !== 'adminRemove' && <DateTimeField label="New end" value={end} onChange={setEnd} errorText={endError} />}
        <FormField label="Justification">
          <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} ariaLabel="Justification" rows={3} />
        </FormField>
      </SpaceBetween>
    </Modal>
  );
}
