/**
 * New access review, in Entra's steps: Review type (what is reviewed), Reviews (who, how often, how
 * long), Settings (what happens at the end, recommendations, emails), then Review + create. The API
 * checks everything again; its refusal is shown as it says it.
 */
import Alert from '@cloudscape-design/components/alert';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Multiselect from '@cloudscape-design/components/multiselect';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import Wizard from '@cloudscape-design/components/wizard';
import { useState } from 'react';
import { query, REVIEWS, ROLE_DEFINITIONS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { useLoad } from '../../components/page-states.tsx';
import { PrincipalSearch } from '../../components/principal-search.tsx';
import { navigate } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { emptyReviewForm, reviewBody, reviewFormErrors, type ReviewForm } from './review-body.ts';

const FREQUENCIES = [
  { value: 'once', label: 'One time' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'quarterly', label: 'Quarterly' },
  { value: 'semiannually', label: 'Semi-annually' },
  { value: 'annually', label: 'Annually' },
];

const DEFAULTS = [
  { value: 'None', label: 'No change' },
  { value: 'Deny', label: 'Remove access' },
  { value: 'Approve', label: 'Approve access' },
  { value: 'Recommendation', label: 'Take recommendations' },
];

export default function NewReviewPage(_: PageProps) {
  const { api, notify } = useApp();
  const [form, setForm] = useState<ReviewForm>(() => emptyReviewForm(new Date().toISOString().slice(0, 10)));
  const [step, setStep] = useState(0);
  const [shown, setShown] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const roles = useLoad(
    () =>
      api.all<{ id: string; displayName: string; isPrivileged?: boolean }>(
        `${ROLE_DEFINITIONS}${query({ $select: 'id,displayName,isPrivileged', $top: 999 })}`,
      ),
    'roles',
  );
  const set = (patch: Partial<ReviewForm>) => setForm((f) => ({ ...f, ...patch }));
  const errors = reviewFormErrors(form);
  const err = (k: keyof ReviewForm) => (shown ? errors[k] : undefined);

  const stepFields: (keyof ReviewForm)[][] = [['displayName', 'roles', 'group'], ['reviewers', 'durationDays', 'endDate'], ['lookBackDays'], []];

  async function create() {
    setShown(true);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.post<{ id: string }>(REVIEWS, reviewBody(form));
      notify({
        type: 'success',
        header: `Access review "${form.displayName}" created`,
        content: form.frequency === 'once' ? 'It starts now: reviewers are told by email.' : 'Its first instance starts on its start date.',
      });
      navigate(`/manage/access-reviews/${created.id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const roleOptions = (roles.data ?? []).map((r) => ({ value: r.id, label: r.displayName, tags: r.isPrivileged ? ['Privileged'] : undefined }));
  return (
    <Wizard
      activeStepIndex={step}
      isLoadingNextStep={busy}
      onNavigate={(e) => {
        if (e.detail.requestedStepIndex > step && stepFields[step]!.some((k) => errors[k])) return setShown(true);
        setShown(false);
        setStep(e.detail.requestedStepIndex);
      }}
      onCancel={() => navigate('/manage/access-reviews')}
      onSubmit={() => void create()}
      submitButtonText="Create"
      i18nStrings={{
        stepNumberLabel: (n) => `Step ${n}`,
        collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
        navigationAriaLabel: 'Steps',
        cancelButton: 'Cancel',
        previousButton: 'Previous',
        nextButton: 'Next',
        optional: 'optional',
      }}
      steps={[
        {
          title: 'Review type',
          description: 'What is reviewed.',
          content: (
            <Container header={<Header variant="h2">Review type</Header>}>
              <SpaceBetween size="l">
                <FormField label="Review name" errorText={err('displayName')}>
                  <Input
                    value={form.displayName}
                    onChange={(e) => set({ displayName: e.detail.value })}
                    placeholder="Quarterly review of Global Administrators"
                  />
                </FormField>
                <FormField label="Select what to review">
                  <RadioGroup
                    value={form.target}
                    onChange={(e) => set({ target: e.detail.value as ReviewForm['target'] })}
                    items={[
                      { value: 'roles', label: 'Microsoft Entra roles', description: 'The assignments of one or more roles.' },
                      { value: 'groupMembers', label: 'Group members', description: 'Standing and PIM for groups members of a group.' },
                      { value: 'groupOwners', label: 'Group owners', description: 'PIM for groups owners of a group.' },
                    ]}
                  />
                </FormField>
                {form.target === 'roles' ? (
                  <SpaceBetween size="l">
                    <FormField label="Select role(s)" errorText={err('roles')}>
                      <Multiselect
                        selectedOptions={form.roles.map((r) => ({ value: r.id, label: r.displayName }))}
                        onChange={(e) => set({ roles: e.detail.selectedOptions.map((o) => ({ id: o.value!, displayName: o.label! })) })}
                        options={roleOptions}
                        filteringType="auto"
                        statusType={roles.loading ? 'loading' : roles.error ? 'error' : 'finished'}
                        placeholder="Choose roles"
                        ariaLabel="Roles to review"
                        tokenLimit={4}
                        deselectAriaLabel={(o) => `Remove ${o.label}`}
                      />
                    </FormField>
                    <FormField label="Assignment type">
                      <RadioGroup
                        value={form.coverage}
                        onChange={(e) => set({ coverage: e.detail.value as ReviewForm['coverage'] })}
                        items={[
                          { value: 'both', label: 'All eligible and active assignments' },
                          { value: 'eligible', label: 'Eligible assignments only (one role)' },
                          { value: 'active', label: 'Active assignments only (one role)' },
                        ]}
                      />
                    </FormField>
                    {form.coverage === 'both' && (
                      <FormField label="Principals" description="None chosen: everyone.">
                        <SpaceBetween direction="horizontal" size="l">
                          {(['users', 'groups', 'servicePrincipals'] as const).map((t) => (
                            <Checkbox
                              key={t}
                              checked={form.principalTypes.includes(t)}
                              onChange={(e) =>
                                set({ principalTypes: e.detail.checked ? [...form.principalTypes, t] : form.principalTypes.filter((x) => x !== t) })
                              }
                            >
                              {t === 'users' ? 'Users' : t === 'groups' ? 'Groups' : 'Service principals'}
                            </Checkbox>
                          ))}
                        </SpaceBetween>
                      </FormField>
                    )}
                  </SpaceBetween>
                ) : (
                  <FormField label="Select a group" errorText={err('group')}>
                    <PrincipalSearch
                      types={['group']}
                      label="Group to review"
                      selected={form.group ? [form.group] : []}
                      onChange={(p) => set({ group: p.at(-1) })}
                      placeholder="Search groups by name"
                    />
                  </FormField>
                )}
                <FormField label="Description for administrators" description="Optional.">
                  <Textarea value={form.descriptionForAdmins} onChange={(e) => set({ descriptionForAdmins: e.detail.value })} rows={2} />
                </FormField>
              </SpaceBetween>
            </Container>
          ),
        },
        {
          title: 'Reviews',
          description: 'Who reviews, and when.',
          content: (
            <SpaceBetween size="l">
              <Container header={<Header variant="h2">Specify reviewers</Header>}>
                <SpaceBetween size="l">
                  <FormField label="Select reviewers">
                    <RadioGroup
                      value={form.reviewerKind}
                      onChange={(e) => set({ reviewerKind: e.detail.value as ReviewForm['reviewerKind'] })}
                      items={[
                        { value: 'selected', label: 'Selected user(s) or group(s)' },
                        { value: 'self', label: 'Members (self)', description: 'Each person reviews their own access.' },
                      ]}
                    />
                  </FormField>
                  {form.reviewerKind !== 'self' && (
                    <FormField label="Reviewers" errorText={err('reviewers')}>
                      <PrincipalSearch types={['user', 'group']} label="Reviewers" selected={form.reviewers} onChange={(p) => set({ reviewers: p })} />
                    </FormField>
                  )}
                  <FormField label="Fallback reviewers" description="They take what nobody else can review (for instance a group's access in a self-review).">
                    <PrincipalSearch
                      types={['user', 'group']}
                      label="Fallback reviewers"
                      selected={form.fallbackReviewers}
                      onChange={(p) => set({ fallbackReviewers: p })}
                    />
                  </FormField>
                </SpaceBetween>
              </Container>
              <Container header={<Header variant="h2">Specify recurrence of review</Header>}>
                <SpaceBetween size="l">
                  <SpaceBetween direction="horizontal" size="l">
                    <FormField label="Start date">
                      <DatePicker
                        value={form.startDate}
                        onChange={(e) => set({ startDate: e.detail.value })}
                        openCalendarAriaLabel={() => 'Choose start date'}
                      />
                    </FormField>
                    <FormField label="Frequency">
                      <Select
                        selectedOption={FREQUENCIES.find((f) => f.value === form.frequency)!}
                        onChange={(e) => set({ frequency: e.detail.selectedOption.value as ReviewForm['frequency'] })}
                        options={FREQUENCIES}
                      />
                    </FormField>
                    <FormField label="Duration (in days)" errorText={err('durationDays')}>
                      <Input type="number" value={form.durationDays} onChange={(e) => set({ durationDays: e.detail.value })} />
                    </FormField>
                  </SpaceBetween>
                  {form.frequency !== 'once' && (
                    <FormField label="End" errorText={err('endDate')}>
                      <SpaceBetween size="s">
                        <RadioGroup
                          value={form.end}
                          onChange={(e) => set({ end: e.detail.value as ReviewForm['end'] })}
                          items={[
                            { value: 'never', label: 'Never' },
                            { value: 'date', label: 'End by specific date' },
                            { value: 'count', label: 'End after number of occurrences' },
                          ]}
                        />
                        {form.end === 'date' && (
                          <DatePicker value={form.endDate} onChange={(e) => set({ endDate: e.detail.value })} openCalendarAriaLabel={() => 'Choose end date'} />
                        )}
                        {form.end === 'count' && (
                          <Input
                            type="number"
                            value={form.occurrences}
                            onChange={(e) => set({ occurrences: e.detail.value })}
                            ariaLabel="Number of occurrences"
                          />
                        )}
                      </SpaceBetween>
                    </FormField>
                  )}
                </SpaceBetween>
              </Container>
            </SpaceBetween>
          ),
        },
        {
          title: 'Settings',
          description: 'What happens at the end, and what reviewers see.',
          content: (
            <SpaceBetween size="l">
              <Container header={<Header variant="h2">Upon completion settings</Header>}>
                <SpaceBetween size="l">
                  <Checkbox
                    checked={form.autoApply}
                    onChange={(e) => set({ autoApply: e.detail.checked })}
                    description="Denied access is removed through the normal removal path (last-administrator protection holds)."
                  >
                    Auto apply results to resource
                  </Checkbox>
                  <FormField label="If reviewers don't respond">
                    <Select
                      selectedOption={DEFAULTS.find((d) => d.value === form.defaultDecision)!}
                      onChange={(e) => set({ defaultDecision: e.detail.selectedOption.value as ReviewForm['defaultDecision'] })}
                      options={DEFAULTS}
                    />
                  </FormField>
                </SpaceBetween>
              </Container>
              <Container header={<Header variant="h2">Advanced settings</Header>}>
                <SpaceBetween size="m">
                  <Checkbox checked={form.recommendations} onChange={(e) => set({ recommendations: e.detail.checked })}>
                    Show recommendations
                  </Checkbox>
                  {form.recommendations && (
                    <FormField label="Recommendation look-back (days)" errorText={err('lookBackDays')}>
                      <Input type="number" value={form.lookBackDays} onChange={(e) => set({ lookBackDays: e.detail.value })} />
                    </FormField>
                  )}
                  <Checkbox checked={form.justificationRequired} onChange={(e) => set({ justificationRequired: e.detail.checked })}>
                    Require reason on approval
                  </Checkbox>
                  <Checkbox checked={form.mail} onChange={(e) => set({ mail: e.detail.checked })}>
                    Mail notifications
                  </Checkbox>
                  <Checkbox checked={form.reminders} onChange={(e) => set({ reminders: e.detail.checked })}>
                    Reminders
                  </Checkbox>
                  <FormField label="Additional content for reviewer email" description="Up to 256 characters.">
                    <Textarea value={form.descriptionForReviewers} onChange={(e) => set({ descriptionForReviewers: e.detail.value.slice(0, 256) })} rows={2} />
                  </FormField>
                </SpaceBetween>
              </Container>
            </SpaceBetween>
          ),
        },
        {
          title: 'Review + create',
          content: (
            <SpaceBetween size="l">
              {error && (
                <Alert type="error" header="The review was not created">
                  {error}
                </Alert>
              )}
              {shown && Object.keys(errors).length > 0 && <Alert type="warning">{Object.values(errors).join(' ')}</Alert>}
              <Container header={<Header variant="h2">Review + create</Header>}>
                <KeyValuePairs
                  columns={2}
                  items={[
                    { label: 'Review name', value: form.displayName || '—' },
                    {
                      label: 'Reviewing',
                      value:
                        form.target === 'roles'
                          ? form.roles.map((r) => r.displayName).join(', ') || '—'
                          : `${form.target === 'groupOwners' ? 'Owners' : 'Members'} of ${form.group?.displayName ?? '—'}`,
                    },
                    { label: 'Reviewers', value: form.reviewerKind === 'self' ? 'Members (self)' : form.reviewers.map((r) => r.displayName).join(', ') || '—' },
                    { label: 'Fallback reviewers', value: form.fallbackReviewers.map((r) => r.displayName).join(', ') || '—' },
                    {
                      label: 'Recurrence',
                      value: `${FREQUENCIES.find((f) => f.value === form.frequency)!.label}, from ${form.startDate}, ${form.durationDays} days each`,
                    },
                    { label: 'If reviewers don\u2019t respond', value: DEFAULTS.find((d) => d.value === form.defaultDecision)!.label },
                    { label: 'Auto apply results', value: form.autoApply ? 'Yes' : 'No' },
                    { label: 'Recommendations', value: form.recommendations ? `Yes, last ${form.lookBackDays} days` : 'No' },
                  ]}
                />
              </Container>
            </SpaceBetween>
          ),
        },
      ]}
    />
  );
}
