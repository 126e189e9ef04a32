/**
 * Entra's three tabs of role settings (Activation, Assignment, Notification) with Entra's field names: read
 * only, or as the form of Edit. One component for directory roles and for group member/owner settings.
 */
import { PrincipalNames } from '../../components/principal-names.tsx';
import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { PrincipalSearch, type PrincipalType } from '../../components/principal-search.tsx';
import { describeDuration } from '../../components/time.tsx';
import {
  EVENT_TITLES,
  EXPIRY_CHOICES,
  NOTIFICATION_EVENTS,
  NOTIFICATION_RECIPIENTS,
  NOTIFICATION_TYPES,
  type FieldKey,
  type NotificationKey,
  type NotificationSetting,
  type Settings,
  type SettingsTab,
} from '../../domain/role-settings.ts';

export interface SettingsTabsProps {
  value: Settings;
  /** Absent: read only. */
  onChange?: (value: Settings) => void;
  errors?: Partial<Record<FieldKey, string>>;
  tab: SettingsTab;
  onTab: (tab: SettingsTab) => void;
  /** "role" or "group membership": the words of the notification events. */
  noun?: string;
}

export function SettingsTabs(props: SettingsTabsProps) {
  return (
    <Tabs
      activeTabId={props.tab}
      onChange={(e) => props.onTab(e.detail.activeTabId as SettingsTab)}
      ariaLabel="Role settings"
      tabs={[
        { id: 'activation', label: 'Activation', content: <ActivationTab {...props} /> },
        { id: 'assignment', label: 'Assignment', content: <AssignmentTab {...props} /> },
        { id: 'notification', label: 'Notification', content: <NotificationTab {...props} /> },
      ]}
    />
  );
}

// Stable: the picker searches again when its types change.
const APPROVER_TYPES: PrincipalType[] = ['user', 'group'];

const yes = (b: boolean) => (b ? 'Yes' : 'No');
const REQUIRE_LABELS = { none: 'None', mfa: 'Azure MFA', authenticationContext: 'Microsoft Entra Conditional Access authentication context' };

function ActivationTab({ value: s, onChange, errors = {} }: SettingsTabsProps) {
  const set = (patch: Partial<Settings>) => onChange?.({ ...s, ...patch });
  if (!onChange) {
    return (
      <Container>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Activation maximum duration (hours)', value: String(s.activationMaximumHours) },
            {
              label: 'On activation, require',
              value:
                s.activationRequire === 'authenticationContext'
                  ? `${REQUIRE_LABELS.authenticationContext}: ${s.authenticationContext}`
                  : REQUIRE_LABELS[s.activationRequire],
            },
            { label: 'Require justification on activation', value: yes(s.activationJustification) },
            { label: 'Require ticket information on activation', value: yes(s.activationTicket) },
            { label: 'Require approval to activate', value: yes(s.approvalRequired) },
            {
              label: 'Approvers',
              value: !s.approvalRequired ? (
                '—'
              ) : s.approvers.length ? (
                <PrincipalNames refs={s.approvers} />
              ) : (
                'None selected: Privileged Role Administrators and Global Administrators approve'
              ),
            },
          ]}
        />
      </Container>
    );
  }
  return (
    <Container>
      <SpaceBetween size="l">
        <FormField
          label="Activation maximum duration (hours)"
          description="Between 0.5 and 24 hours, in steps of half an hour."
          errorText={errors.activationMaximumHours}
        >
          <Input
            type="number"
            inputMode="decimal"
            step={0.5}
            value={String(s.activationMaximumHours)}
            onChange={(e) => set({ activationMaximumHours: Number(e.detail.value) })}
            invalid={!!errors.activationMaximumHours}
          />
        </FormField>
        <FormField label="On activation, require" errorText={errors.authenticationContext}>
          <SpaceBetween size="xs">
            <RadioGroup
              value={s.activationRequire}
              onChange={(e) => set({ activationRequire: e.detail.value as Settings['activationRequire'] })}
              ariaLabel="On activation, require"
              items={(['none', 'mfa', 'authenticationContext'] as const).map((v) => ({ value: v, label: REQUIRE_LABELS[v] }))}
            />
            {s.activationRequire === 'authenticationContext' && (
              <Input
                value={s.authenticationContext}
                onChange={(e) => set({ authenticationContext: e.detail.value })}
                ariaLabel="Authentication context (claim value)"
                placeholder="c1"
                invalid={!!errors.authenticationContext}
              />
            )}
          </SpaceBetween>
        </FormField>
        <Checkbox checked={s.activationJustification} onChange={(e) => set({ activationJustification: e.detail.checked })}>
          Require justification on activation
        </Checkbox>
        <Checkbox checked={s.activationTicket} onChange={(e) => set({ activationTicket: e.detail.checked })}>
          Require ticket information on activation
        </Checkbox>
        <Checkbox checked={s.approvalRequired} onChange={(e) => set({ approvalRequired: e.detail.checked })}>
          Require approval to activate
        </Checkbox>
        {s.approvalRequired && (
          <FormField
            label="Select approver(s)"
            description="If you select none, Privileged Role Administrators and Global Administrators approve."
            errorText={errors.approvers}
          >
            <PrincipalSearch
              label="Select approver(s)"
              types={APPROVER_TYPES}
              selected={s.approvers.map((a) => ({ type: a.kind, id: a.id, displayName: a.description || a.id }))}
              onChange={(list) => set({ approvers: list.map((p) => ({ kind: p.type === 'group' ? 'group' : 'user', id: p.id, description: p.displayName })) })}
            />
          </FormField>
        )}
      </SpaceBetween>
    </Container>
  );
}

const EXPIRY_OPTIONS = EXPIRY_CHOICES.map((d) => ({ value: d, label: describeDuration(d) }));

function expiryOptions(current: string) {
  return EXPIRY_CHOICES.includes(current) ? EXPIRY_OPTIONS : [{ value: current, label: describeDuration(current) }, ...EXPIRY_OPTIONS];
}

function AssignmentTab({ value: s, onChange }: SettingsTabsProps) {
  const set = (patch: Partial<Settings>) => onChange?.({ ...s, ...patch });
  if (!onChange) {
    return (
      <Container>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Allow permanent eligible assignment', value: yes(s.permanentEligible) },
            { label: 'Expire eligible assignments after', value: s.permanentEligible ? '—' : describeDuration(s.eligibleExpiry) },
            { label: 'Allow permanent active assignment', value: yes(s.permanentActive) },
            { label: 'Expire active assignments after', value: s.permanentActive ? '—' : describeDuration(s.activeExpiry) },
            { label: 'Require Azure Multi-Factor Authentication on active assignment', value: yes(s.activeMfa) },
            { label: 'Require justification on active assignment', value: yes(s.activeJustification) },
          ]}
        />
      </Container>
    );
  }
  return (
    <Container>
      <SpaceBetween size="l">
        <ColumnLayout columns={2}>
          <Checkbox checked={s.permanentEligible} onChange={(e) => set({ permanentEligible: e.detail.checked })}>
            Allow permanent eligible assignment
          </Checkbox>
          <FormField label="Expire eligible assignments after">
            <Select
              disabled={s.permanentEligible}
              selectedOption={{ value: s.eligibleExpiry, label: describeDuration(s.eligibleExpiry) }}
              options={expiryOptions(s.eligibleExpiry)}
              onChange={(e) => set({ eligibleExpiry: e.detail.selectedOption.value! })}
              ariaLabel="Expire eligible assignments after"
            />
          </FormField>
          <Checkbox checked={s.permanentActive} onChange={(e) => set({ permanentActive: e.detail.checked })}>
            Allow permanent active assignment
          </Checkbox>
          <FormField label="Expire active assignments after">
            <Select
              disabled={s.permanentActive}
              selectedOption={{ value: s.activeExpiry, label: describeDuration(s.activeExpiry) }}
              options={expiryOptions(s.activeExpiry)}
              onChange={(e) => set({ activeExpiry: e.detail.selectedOption.value! })}
              ariaLabel="Expire active assignments after"
            />
          </FormField>
        </ColumnLayout>
        <Checkbox checked={s.activeMfa} onChange={(e) => set({ activeMfa: e.detail.checked })}>
          Require Azure Multi-Factor Authentication on active assignment
        </Checkbox>
        <Checkbox checked={s.activeJustification} onChange={(e) => set({ activeJustification: e.detail.checked })}>
          Require justification on active assignment
        </Checkbox>
      </SpaceBetween>
    </Container>
  );
}

interface Row {
  key: NotificationKey;
  type: string;
  value: NotificationSetting;
}

function NotificationTab({ value: s, onChange, errors = {}, noun = 'role' }: SettingsTabsProps) {
  return (
    <SpaceBetween size="l">
      {NOTIFICATION_EVENTS.map((event) => {
        const rows: Row[] = NOTIFICATION_RECIPIENTS.map((r) => ({
          key: `${r}_${event}`,
          type: NOTIFICATION_TYPES[event][r],
          value: s.notifications[`${r}_${event}`],
        }));
        const set = (key: NotificationKey, patch: Partial<NotificationSetting>) =>
          onChange?.({ ...s, notifications: { ...s.notifications, [key]: { ...s.notifications[key], ...patch } } });
        const title = EVENT_TITLES[event].replace('this role', `this ${noun}`);
        return (
          <Table<Row>
            key={event}
            header={<Header variant="h3">{title}</Header>}
            items={rows}
            trackBy="key"
            variant="container"
            ariaLabels={{ tableLabel: title }}
            columnDefinitions={[
              { id: 'type', header: 'Type', cell: (r) => r.type, isRowHeader: true },
              {
                id: 'default',
                header: 'Default recipients',
                cell: (r) =>
                  onChange ? (
                    <Checkbox
                      checked={r.value.defaultRecipients}
                      onChange={(e) => set(r.key, { defaultRecipients: e.detail.checked })}
                      ariaLabel={`${r.type}: default recipients`}
                    >
                      {r.key.startsWith('Admin') ? 'Admin' : r.key.startsWith('Requestor') ? 'Assignee' : 'Approver'}
                    </Checkbox>
                  ) : (
                    yes(r.value.defaultRecipients)
                  ),
              },
              {
                id: 'additional',
                header: 'Additional recipients',
                cell: (r) =>
                  onChange ? (
                    <RecipientsInput
                      label={`${r.type}: additional recipients`}
                      value={r.value.additionalRecipients}
                      onChange={(list) => set(r.key, { additionalRecipients: list })}
                      error={errors[`notifications.${r.key}`]}
                    />
                  ) : (
                    r.value.additionalRecipients.join(', ') || <Box color="text-status-inactive">None</Box>
                  ),
              },
              {
                id: 'critical',
                header: 'Critical emails only',
                cell: (r) =>
                  onChange ? (
                    <Checkbox
                      checked={r.value.level === 'Critical'}
                      onChange={(e) => set(r.key, { level: e.detail.checked ? 'Critical' : 'All' })}
                      ariaLabel={`${r.type}: critical emails only`}
                    />
                  ) : r.value.level === 'None' ? (
                    'No emails'
                  ) : (
                    yes(r.value.level === 'Critical')
                  ),
              },
            ]}
          />
        );
      })}
    </SpaceBetween>
  );
}

/** Email addresses separated by commas or semicolons; kept as typed until the field loses focus. */
function RecipientsInput({ label, value, onChange, error }: { label: string; value: string[]; onChange: (v: string[]) => void; error?: string }) {
  const [text, setText] = useState(value.join(', '));
  const parse = (t: string) =>
    t
      .split(/[,;\s]+/)
      .map((x) => x.trim())
      .filter(Boolean);
  return (
    <FormField errorText={error} stretch>
      <Input
        value={text}
        onChange={(e) => {
          setText(e.detail.value);
          onChange(parse(e.detail.value));
        }}
        onBlur={() => setText(value.join(', '))}
        ariaLabel={label}
        placeholder="Email addresses, comma separated"
        invalid={!!error}
      />
    </FormField>
  );
}
