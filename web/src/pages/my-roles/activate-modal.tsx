/**
 * Entra's Activate pane, for one role or several at once with one reason: scope (for an AWS role, the
 * account: an eligibility on an OU covers the accounts below it), start now or later,
 * duration bounded by the strictest policy, reason, ticket. Each request is checked with
 * `isValidationOnly` before any is sent; fresh MFA, when the API asks, is a sign-in round trip that
 * comes back here with the form as it was and finishes the activation.
 */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import DatePicker from '@cloudscape-design/components/date-picker';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import TimeInput from '@cloudscape-design/components/time-input';
import { useEffect, useRef, useState } from 'react';
import { ApiError, StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { saveResume } from '../../auth/resume.ts';
import { durationHours, Time } from '../../components/time.tsx';
import { strictest } from '../../domain/policy.ts';
import { href } from '../../router.tsx';
import { SessionDurationNotice } from './aws-cells.tsx';
import { accountsFor, awsScopeName, type AwsContext } from './aws-data.ts';
import { selfRequest, type Holding } from './data.ts';
import { Requirements } from './requirements.tsx';

export interface ActivateForm {
  startMode: 'now' | 'later';
  startDate: string;
  startTime: string;
  hours: string;
  justification: string;
  ticketNumber: string;
  ticketSystem: string;
  /** AWS roles: the account each activation names, by holdingKey (an activation names one account). */
  accounts?: Record<string, string>;
}

export const RESUME_KIND = 'activate';

export interface ActivateResume {
  keys: string[];
  form: ActivateForm;
}

export function holdingKey(h: Pick<Holding, 'kind' | 'roleId' | 'scope'>): string {
  return `${h.kind}:${h.roleId}:${h.scope}`;
}

export function emptyForm(maxHours: number | undefined): ActivateForm {
  return {
    startMode: 'now',
    startDate: '',
    startTime: '',
    hours: maxHours === undefined ? '' : String(Math.min(maxHours, 8)),
    justification: '',
    ticketNumber: '',
    ticketSystem: '',
  };
}

function durationOf(hours: number): string {
  const minutes = Math.max(1, Math.round(hours * 60));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}`;
}

function startOf(form: ActivateForm): string | undefined {
  if (form.startMode === 'now') return undefined;
  return new Date(`${form.startDate}T${form.startTime || '00:00'}`).toISOString();
}

/** What an activation targets: for an AWS role the account chosen, whatever scope the eligibility is at. */
function target(h: Holding, form: ActivateForm): Holding {
  if (h.kind !== 'aws') return h;
  const account = form.accounts?.[holdingKey(h)];
  return account ? { ...h, scope: `/accounts/${account}` } : h;
}

function bodyExtras(form: ActivateForm, validationOnly: boolean): Record<string, unknown> {
  const start = startOf(form);
  return {
    justification: form.justification.trim() || undefined,
    scheduleInfo: { ...(start ? { startDateTime: start } : {}), expiration: { type: 'afterDuration', duration: durationOf(Number(form.hours)) } },
    ...(form.ticketNumber || form.ticketSystem ? { ticketInfo: { ticketNumber: form.ticketNumber.trim(), ticketSystem: form.ticketSystem.trim() } } : {}),
    isValidationOnly: validationOnly,
  };
}

export function shareLink(h: Holding, form?: Partial<ActivateForm>): string {
  const params = new URLSearchParams({ tab: h.kind, activate: h.roleId, scope: h.scope });
  if (form?.hours) params.set('hours', form.hours);
  return `${window.location.origin}${href('/my-roles')}?${params.toString()}`;
}

/** The end of an activation asked for as a duration: its start (or now) plus the duration. */
function endOf(info: Created['scheduleInfo']): string | undefined {
  const hours = durationHours(info?.expiration?.duration ?? undefined);
  if (hours === undefined) return undefined;
  const start = info?.startDateTime ? Date.parse(info.startDateTime) : Date.now();
  return new Date(start + hours * 3_600_000).toISOString();
}

interface Created {
  id: string;
  status: string;
  scheduleInfo?: { startDateTime?: string; expiration?: { endDateTime?: string; duration?: string } };
}

export function ActivateModal({
  holdings,
  aws,
  initial,
  autoSubmit,
  onClose,
  onDone,
}: {
  holdings: Holding[];
  /** The accounts and session durations of AWS roles (the AWS accounts tab). */
  aws?: AwsContext;
  initial?: ActivateForm;
  autoSubmit?: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { api, me, session, notify } = useApp();
  const known = holdings.every((h) => h.requirements);
  const requirements = strictest(holdings.flatMap((h) => (h.requirements ? [h.requirements] : [])));
  const [form, setForm] = useState<ActivateForm>(() => withOnlyAccounts(initial ?? emptyForm(known ? requirements.maximumHours : undefined), holdings, aws));
  // The rules may arrive after the pane opened: then the duration starts at the role's maximum (at most 8 h).
  useEffect(() => {
    if (known) setForm((f) => (f.hours === '' ? { ...f, hours: String(Math.min(requirements.maximumHours, 8)) } : f));
  }, [known, requirements.maximumHours]);
  const [errors, setErrors] = useState<{ role: string; message: string }[]>([]);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const submitted = useRef(false);
  const set = (patch: Partial<ActivateForm>) => setForm((f) => ({ ...f, ...patch }));

  const hours = Number(form.hours);
  const invalid = {
    hours: !(hours > 0)
      ? 'Enter how many hours.'
      : hours > requirements.maximumHours
        ? `At most ${requirements.maximumHours} hours for ${holdings.length > 1 ? 'these roles' : 'this role'}.`
        : hours < 5 / 60
          ? 'At least 5 minutes.'
          : undefined,
    justification: requirements.justification && !form.justification.trim() ? 'A reason is required to activate.' : undefined,
    ticket: requirements.ticket && (!form.ticketNumber.trim() || !form.ticketSystem.trim()) ? 'Ticket number and ticket system are required.' : undefined,
    start: form.startMode === 'later' && !form.startDate ? 'Choose a start date.' : undefined,
    account: holdings.some((h) => h.kind === 'aws' && !form.accounts?.[holdingKey(h)]) ? 'Choose an account.' : undefined,
  };
  const hasErrors = Object.values(invalid).some(Boolean);
  const needsMfa = requirements.mfa && !me.mfa;

  async function stepUp(error: StepUpRequired) {
    saveResume({ kind: RESUME_KIND, payload: { keys: holdings.map(holdingKey), form } satisfies ActivateResume });
    await session.stepUp(`${href('/my-roles')}?tab=${holdings[0]!.kind}`, error.maxAgeSeconds ? 0 : 0);
  }

  async function submit() {
    if (!known) return;
    setTouched(true);
    if (hasErrors) return;
    setBusy(true);
    setErrors([]);
    try {
      const checks = await Promise.all(
        holdings.map(async (h) => {
          const { path, body } = selfRequest(target(h, form), 'assignment', me.id, 'selfActivate', bodyExtras(form, true));
          try {
            await api.post(path, body);
            return undefined;
          } catch (error) {
            if (error instanceof StepUpRequired) throw error;
            return { role: h.roleName, message: (error as Error).message };
          }
        }),
      );
      const failed = checks.filter((c): c is { role: string; message: string } => c !== undefined);
      if (failed.length) {
        setErrors(failed);
        return;
      }
      for (const h of holdings) {
        const { path, body } = selfRequest(target(h, form), 'assignment', me.id, 'selfActivate', bodyExtras(form, false));
        try {
          const created = await api.post<Created>(path, body);
          announce(h, created);
        } catch (error) {
          if (error instanceof StepUpRequired) throw error;
          notify({ type: 'error', header: `${h.roleName}: not activated`, content: (error as ApiError).message });
        }
      }
      onDone();
    } catch (error) {
      if (error instanceof StepUpRequired) return stepUp(error);
      setErrors([{ role: '', message: (error as Error).message }]);
    } finally {
      setBusy(false);
    }
  }

  function announce(h: Holding, created: Created) {
    const link = (
      <Button href={href(`/requests/${created.id}`)} variant="inline-link" ariaLabel={`View request for ${h.roleName}`}>
        View request
      </Button>
    );
    const name =
      h.kind === 'groups'
        ? `${h.roleName} of ${h.scopeName}`
        : h.kind === 'aws'
          ? `${h.roleName} in ${awsScopeName(target(h, form).scope, aws?.accounts ?? [])}`
          : h.roleName;
    if (created.status === 'PendingApproval') {
      notify({
        type: 'info',
        header: `${name}: pending approval`,
        content: 'Your approvers have been asked. You will get an email when they decide.',
        action: link,
      });
    } else if (created.status === 'PendingProvisioning') {
      notify({
        type: 'info',
        header: `${name}: pending provisioning`,
        content: 'IAM Identity Center is making the account assignment; My roles shows it as Provisioned when you can sign in to the account.',
        action: link,
      });
    } else if (created.status === 'Scheduled' || created.status === 'Granted') {
      notify({
        type: 'success',
        header: `${name}: scheduled`,
        content: (
          <>
            Starts <Time value={created.scheduleInfo?.startDateTime} />
          </>
        ),
        action: link,
      });
    } else {
      const end = created.scheduleInfo?.expiration?.endDateTime ?? endOf(created.scheduleInfo);
      notify({
        type: 'success',
        header: `${name}: active`,
        content: (
          <>
            Active until <Time value={end} empty="you deactivate it" />
          </>
        ),
        action: link,
      });
    }
  }

  useEffect(() => {
    if (autoSubmit && known && !submitted.current) {
      submitted.current = true;
      void submit();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoSubmit, known]);

  const first = holdings[0]!;
  const curl = (() => {
    const { path, body } = selfRequest(target(first, form), 'assignment', me.id, 'selfActivate', bodyExtras(form, false));
    return `curl -X POST '${api.url(path).startsWith('http') ? api.url(path) : window.location.origin + api.url(path)}' \\\n  -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\\n  -d '${JSON.stringify(body).replace(/'/g, "'\\''")}'`;
  })();

  return (
    <Modal
      closeAriaLabel="Close"
      visible
      onDismiss={onClose}
      size="medium"
      header={
        holdings.length === 1
          ? `Activate – ${first.kind === 'groups' ? `${first.roleName} of ${first.scopeName}` : first.roleName}`
          : `Activate ${holdings.length} roles`
      }
      footer={
        <ModalFooter onCancel={onClose}>
          <Button variant="primary" loading={busy || !known} onClick={() => void submit()} disabled={needsMfa || !known}>
            Activate
          </Button>
        </ModalFooter>
      }
    >
      <Form>
        <SpaceBetween size="m">
          {needsMfa && (
            <Alert
              type="warning"
              header="Additional verification required"
              action={
                <Button onClick={() => void stepUp(new StepUpRequired('MFA', 0))} ariaLabel="Verify your identity with multifactor authentication">
                  Verify your identity
                </Button>
              }
            >
              {holdings.length > 1 ? 'One of these roles requires' : 'This role requires'} multifactor authentication before activation. You will sign in again,
              then come back here.
            </Alert>
          )}
          {holdings.map((h) => (
            <SpaceBetween key={holdingKey(h)} size="xxs">
              <Box variant="strong">{h.kind === 'groups' ? `${h.roleName} of ${h.scopeName}` : h.roleName}</Box>
              <Box variant="small">Scope: {h.scopeName}</Box>
              <Requirements value={h.requirements} />
              {h.kind === 'aws' && (
                <AccountField
                  holding={h}
                  accounts={accountsFor(h.scope, aws?.accounts ?? [])}
                  value={form.accounts?.[holdingKey(h)]}
                  onChange={(id) => set({ accounts: { ...form.accounts, [holdingKey(h)]: id } })}
                  errorText={touched && !form.accounts?.[holdingKey(h)] ? invalid.account : undefined}
                />
              )}
              {h.kind === 'aws' && <SessionDurationNotice duration={aws?.sessionDurations.get(h.roleId)} />}
            </SpaceBetween>
          ))}
          <FormField label="Start" errorText={touched ? invalid.start : undefined}>
            <RadioGroup
              value={form.startMode}
              onChange={(e) => set({ startMode: e.detail.value as 'now' | 'later' })}
              items={[
                { value: 'now', label: 'Now' },
                { value: 'later', label: 'Custom activation start time' },
              ]}
            />
          </FormField>
          {form.startMode === 'later' && (
            <SpaceBetween direction="horizontal" size="s">
              <FormField label="Start date">
                <DatePicker
                  value={form.startDate}
                  onChange={(e) => set({ startDate: e.detail.value })}
                  placeholder="YYYY/MM/DD"
                  openCalendarAriaLabel={(d) => `Choose start date${d ? `, selected ${d}` : ''}`}
                />
              </FormField>
              <FormField label="Start time (your time zone)">
                <TimeInput value={form.startTime} onChange={(e) => set({ startTime: e.detail.value })} format="hh:mm" placeholder="hh:mm" />
              </FormField>
            </SpaceBetween>
          )}
          <FormField label="Duration (hours)" constraintText={`Up to ${requirements.maximumHours} hours.`} errorText={touched ? invalid.hours : undefined}>
            <Input type="number" inputMode="decimal" step={0.5} value={form.hours} onChange={(e) => set({ hours: e.detail.value })} />
          </FormField>
          <FormField
            label="Reason"
            description={requirements.justification ? 'Required.' : 'Optional.'}
            errorText={touched ? invalid.justification : undefined}
          >
            <Textarea value={form.justification} onChange={(e) => set({ justification: e.detail.value })} placeholder="Why you need this access" rows={3} />
          </FormField>
          <SpaceBetween direction="horizontal" size="s">
            <FormField label="Ticket number" errorText={touched ? invalid.ticket : undefined} description={requirements.ticket ? 'Required.' : 'Optional.'}>
              <Input value={form.ticketNumber} onChange={(e) => set({ ticketNumber: e.detail.value })} />
            </FormField>
            <FormField label="Ticket system" description={requirements.ticket ? 'Required.' : 'Optional.'}>
              <Input value={form.ticketSystem} onChange={(e) => set({ ticketSystem: e.detail.value })} />
            </FormField>
          </SpaceBetween>
          {requirements.approval && (
            <Alert type="info">
              {holdings.length > 1 ? 'Some of these roles need' : 'This role needs'} approval: it becomes active when an approver approves.
            </Alert>
          )}
          {errors.length > 0 && (
            <Alert type="error" header="Not activated">
              {errors.map((e, i) => (
                <div key={i}>
                  {e.role && <strong>{e.role}: </strong>}
                  {e.message}
                </div>
              ))}
            </Alert>
          )}
          <SpaceBetween direction="horizontal" size="s">
            {holdings.length === 1 && (
              <CopyToClipboard
                variant="button"
                textToCopy={shareLink(first, form)}
                copyButtonText="Copy link"
                copySuccessText="Link copied"
                copyErrorText="Could not copy"
              />
            )}
            <CopyToClipboard
              variant="button"
              textToCopy={curl}
              copyButtonText="Copy as curl"
              copySuccessText="curl command copied"
              copyErrorText="Could not copy"
            />
          </SpaceBetween>
        </SpaceBetween>
      </Form>
    </Modal>
  );
}

/** An eligibility on one account names it already: the form starts with it chosen. */
function withOnlyAccounts(form: ActivateForm, holdings: Holding[], aws: AwsContext | undefined): ActivateForm {
  const chosen = { ...form.accounts };
  for (const h of holdings) {
    const candidates = h.kind === 'aws' ? accountsFor(h.scope, aws?.accounts ?? []) : [];
    if (candidates.length === 1 && !chosen[holdingKey(h)]) chosen[holdingKey(h)] = candidates[0]!.id;
  }
  return { ...form, accounts: chosen };
}

function AccountField({
  holding,
  accounts,
  value,
  onChange,
  errorText,
}: {
  holding: Holding;
  accounts: AwsContext['accounts'];
  value: string | undefined;
  onChange: (accountId: string) => void;
  errorText?: string;
}) {
  const options = accounts.map((a) => ({
    value: a.id,
    label: a.displayName,
    description: a.id,
    tags: a.parents.slice(0, 1).map((p) => `OU ${p.displayName}`),
  }));
  return (
    <FormField
      label="Account"
      description={holding.scope.startsWith('/ous/') ? `Your eligibility covers the accounts in ${holding.scopeName}: an activation names one.` : undefined}
      errorText={errorText}
    >
      <Select
        selectedOption={options.find((o) => o.value === value) ?? null}
        onChange={(e) => onChange(e.detail.selectedOption.value!)}
        options={options}
        placeholder="Choose an account"
        triggerVariant="option"
        empty="No account is visible to you under this scope"
        filteringType={options.length > 8 ? 'auto' : 'none'}
        ariaLabel={`Account for ${holding.roleName}`}
      />
    </FormField>
  );
}
