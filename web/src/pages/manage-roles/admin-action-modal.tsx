/**
 * Update, Remove, Extend and Renew on one assignment: a justification (required when the role's policy
 * says so), a new window where the action needs one, then the administrator's request. A refusal is
 * shown as the API words it (e.g. the last permanent Global Administrator is protected).
 */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import type { AdminRules } from '../../domain/admin-policy.ts';
import { describeDuration } from '../../components/time.tsx';
import { href } from '../../router.tsx';
import { adminRequest, endOf, startOf, type AdminAction, type Level, type Schedule, type ScheduleInfo } from './data.ts';
import { DateTimeField, localDateTime, toIso, type LocalDateTime } from '../../components/date-time-field.tsx';

export type RowAction = Exclude<AdminAction, 'adminAssign'>;

export const ACTION_LABEL: Record<RowAction, string> = { adminUpdate: 'Update', adminRemove: 'Remove', adminExtend: 'Extend', adminRenew: 'Renew' };

const DAY = 86_400_000;

function defaultEnd(schedule: Schedule, action: RowAction, rules: AdminRules): Date {
  const days = rules.maximumDays ?? 365;
  const current = endOf(schedule);
  if (action === 'adminUpdate' && current) return new Date(current);
  if (action === 'adminExtend' && current) return new Date(Math.max(Date.parse(current), Date.now()) + Math.min(days, 30) * DAY);
  return new Date(Date.now() + Math.min(days, 30) * DAY);
}

export function AdminActionModal({
  schedule,
  level,
  action,
  roleName,
  rules,
  onClose,
  onDone,
}: {
  schedule: Schedule;
  level: Level;
  action: RowAction;
  roleName: string;
  rules: AdminRules;
  onClose: () => void;
  onDone: () => void;
}) {
  const { api, notify, session } = useApp();
  const label = ACTION_LABEL[action];
  const who = schedule.principal?.displayName ?? schedule.principalId;
  const asksWindow = action !== 'adminRemove';
  const [permanent, setPermanent] = useState(action === 'adminUpdate' && endOf(schedule) === null && rules.permanentAllowed);
  const [start, setStart] = useState<LocalDateTime>(localDateTime(new Date(startOf(schedule) ?? Date.now())));
  const [end, setEnd] = useState<LocalDateTime>(localDateTime(defaultEnd(schedule, action, rules)));
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  function scheduleInfo(): ScheduleInfo | string | undefined {
    if (!asksWindow) return undefined;
    const endIso = toIso(end);
    if (!permanent && !endIso) return 'Enter when the assignment ends.';
    const info: ScheduleInfo = { expiration: permanent ? { type: 'noExpiration' } : { type: 'afterDateTime', endDateTime: endIso! } };
    if (action === 'adminUpdate') {
      const startIso = toIso(start);
      if (!startIso) return 'Enter when the assignment starts.';
      info.startDateTime = startIso;
    }
    return info;
  }

  async function submit() {
    const info = scheduleInfo();
    if (typeof info === 'string') return setError(info);
    if (rules.justification && !justification.trim()) return setError('This role requires a justification.');
    setBusy(true);
    setError(undefined);
    try {
      const target = { principalId: schedule.principalId, roleDefinitionId: schedule.roleDefinitionId, directoryScopeId: schedule.directoryScopeId };
      const { path, body } = adminRequest(level, action, target, { justification: justification.trim() || undefined, scheduleInfo: info });
      const created = await api.post<{ id?: string; status?: string }>(path, body);
      notify({
        type: 'success',
        header: `${roleName}: ${label.toLowerCase()} for ${who} ${created?.status === 'PendingApproval' ? 'pending approval' : 'done'}`,
        content: created?.status ? `Request status: ${created.status}` : undefined,
      });
      onDone();
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.href.replace(window.location.origin, '') || href('/manage/roles'));
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onClose}
      header={`${label} – ${roleName} for ${who}`}
      footer={
        <ModalFooter onCancel={onClose}>
          <Button variant="primary" loading={busy} onClick={() => void submit()}>
            {label}
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        {action === 'adminRemove' && (
          <Box>
            {who} loses this {level === 'eligibility' ? 'eligible' : 'active'} assignment now
            {level === 'eligibility' ? ', and any activation made from it ends.' : '.'}
          </Box>
        )}
        {asksWindow && action === 'adminUpdate' && rules.permanentAllowed && (
          <Checkbox checked={permanent} onChange={(e) => setPermanent(e.detail.checked)}>
            {level === 'eligibility' ? 'Permanently eligible' : 'Permanently assigned'}
          </Checkbox>
        )}
        {asksWindow && action === 'adminUpdate' && <DateTimeField label="Assignment starts" value={start} onChange={setStart} />}
        {asksWindow && (
          <DateTimeField
            label="Assignment ends"
            value={end}
            onChange={setEnd}
            disabled={permanent}
            description={rules.maximumDuration ? `This role's policy allows at most ${describeDuration(rules.maximumDuration)}.` : undefined}
          />
        )}
        <FormField label="Justification" description={rules.justification ? 'Required by this role’s policy.' : 'Optional.'}>
          <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} rows={3} ariaLabel="Justification" />
        </FormField>
        {error && (
          <Alert type="error" header={`${label} refused`}>
            {error}
          </Alert>
        )}
      </SpaceBetween>
    </Modal>
  );
}
