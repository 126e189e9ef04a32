/**
 * Add assignments, in Entra's two steps. Membership: Select role, Scope type and scope, Select
 * member(s) found by a server-side search. Setting: Assignment type (Eligible / Active), Permanently
 * eligible / assigned where the role's policy allows it, Assignment starts / ends, Justification.
 * Assign checks every member's request on the server first, then sends one request per member.
 */
import Alert from '@cloudscape-design/components/alert';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import Wizard from '@cloudscape-design/components/wizard';
import { useEffect, useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { ROLE_DEFINITIONS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { describeDuration } from '../../components/time.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { follow, href, navigate } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { sendAssignments, validateAssignments, type MemberOutcome } from './assign.ts';
import type { Level, RoleDefinition, ScheduleInfo } from './data.ts';
import { DateTimeField, localDateTime, toIso, type LocalDateTime } from '../../components/date-time-field.tsx';
import { MemberPicker } from './member-picker.tsx';
import type { Candidate } from './member-search.ts';
import { loadRoleWithRules, type RoleWithRules } from './role-page.tsx';

type ScopeType = 'directory' | 'administrativeUnit' | 'resource';

const SCOPE_TYPES: { value: ScopeType; label: string; description: string }[] = [
  { value: 'directory', label: 'Directory', description: 'The whole tenant (/)' },
  { value: 'administrativeUnit', label: 'Administrative unit', description: '/administrativeUnits/{id}' },
  { value: 'resource', label: 'Resource', description: 'A resource path, e.g. /subscriptions/{id}/resourceGroups/{name}' },
];

const DAY = 86_400_000;

function scopeOf(type: ScopeType, value: string): string | undefined {
  const v = value.trim();
  if (type === 'directory') return '/';
  if (type === 'administrativeUnit') return v ? `/administrativeUnits/${v.replace(/^\/?administrativeUnits\//, '')}` : undefined;
  return v.startsWith('/') && v.length > 1 ? v : undefined;
}

export default function AddAssignmentsPage({ params }: PageProps) {
  const { api, notify, session } = useApp();
  const roles = useLoad(() => api.all<RoleDefinition>(`${ROLE_DEFINITIONS}?$select=id,displayName,isPrivileged&$top=999`, 2000), 'roles');
  const [roleId, setRoleId] = useState(params.roleId ?? '');
  const [policy, setPolicy] = useState<RoleWithRules>();
  const [scopeType, setScopeType] = useState<ScopeType>('directory');
  const [scopeValue, setScopeValue] = useState('');
  const [members, setMembers] = useState<Candidate[]>([]);
  const [level, setLevel] = useState<Level>('eligibility');
  const [permanent, setPermanent] = useState(false);
  const [start, setStart] = useState<LocalDateTime>(localDateTime(new Date()));
  const [end, setEnd] = useState<LocalDateTime>(localDateTime(new Date(Date.now() + 365 * DAY)));
  const [justification, setJustification] = useState('');
  const [step, setStep] = useState(0);
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusals, setRefusals] = useState<MemberOutcome[]>([]);
  const [error, setError] = useState<string>();

  // The role's admin rules decide what Setting offers.
  useEffect(() => {
    setPolicy(undefined);
    if (!roleId) return;
    let live = true;
    loadRoleWithRules(api, roleId).then(
      (p) => live && setPolicy(p),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, roleId]);

  const rules = policy?.rules[level];
  // Offer permanence only where the policy allows it; otherwise the end is bounded by its maximum.
  useEffect(() => {
    if (rules && !rules.permanentAllowed) setPermanent(false);
    if (rules?.maximumDays) setEnd(localDateTime(new Date(Date.now() + rules.maximumDays * DAY)));
  }, [rules]);

  const scope = scopeOf(scopeType, scopeValue);
  const roleName = policy?.role.displayName ?? roles.data?.find((r) => r.id === roleId)?.displayName ?? roleId;
  const back = roleId ? `/manage/roles/${encodeURIComponent(roleId)}` : '/manage/roles';

  function membershipProblem(): string | undefined {
    if (!roleId) return 'Select a role.';
    if (!scope) return scopeType === 'administrativeUnit' ? 'Enter the administrative unit’s id.' : 'Enter a resource path starting with /.';
    if (!members.length) return 'Select at least one member.';
    return undefined;
  }

  function scheduleInfo(): ScheduleInfo | string {
    const startIso = toIso(start);
    if (!startIso) return 'Enter when the assignment starts.';
    if (permanent) return { startDateTime: startIso, expiration: { type: 'noExpiration' } };
    const endIso = toIso(end);
    if (!endIso) return 'Enter when the assignment ends.';
    if (Date.parse(endIso) <= Date.parse(startIso)) return 'The assignment must end after it starts.';
    return { startDateTime: startIso, expiration: { type: 'afterDateTime', endDateTime: endIso } };
  }

  async function assign() {
    setShown(true);
    const info = scheduleInfo();
    if (typeof info === 'string') return setError(info);
    if (rules?.justification && !justification.trim()) return setError('This role’s policy requires a justification.');
    setError(undefined);
    setRefusals([]);
    setBusy(true);
    const input = { roleId, scope: scope!, level, members, scheduleInfo: info, justification: justification.trim() || undefined };
    try {
      const checked = await validateAssignments(api, input);
      const refused = checked.filter((c) => !c.ok);
      if (refused.length) return setRefusals(refused);
      const outcomes = await sendAssignments(api, input);
      for (const o of outcomes) {
        notify({
          type: o.ok ? 'success' : 'error',
          header: `${o.member.displayName}: ${o.ok ? `${level === 'eligibility' ? 'made eligible for' : 'assigned'} ${roleName}` : `not assigned ${roleName}`}`,
          content: o.ok ? (o.status === 'PendingApproval' ? 'Pending approval.' : undefined) : o.message,
        });
      }
      if (outcomes.some((o) => o.ok)) navigate(`${back}?tab=${level === 'eligibility' ? 'eligible' : 'active'}`);
      else setRefusals(outcomes);
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.pathname);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (roles.error) return <LoadError error={roles.error} retry={roles.reload} />;
  const problem = membershipProblem();
  const roleOptions = (roles.data ?? []).map((r) => ({ value: r.id, label: r.displayName, tags: r.isPrivileged ? ['Privileged'] : undefined }));
  const selectedRole = roleOptions.find((o) => o.value === roleId) ?? (roleId ? { value: roleId, label: roleName } : null);

  return (
    <SpaceBetween size="m">
      <BreadcrumbGroup
        items={[
          { text: 'Roles', href: href('/manage/roles') },
          ...(params.roleId ? [{ text: roleName, href: href(back) }] : []),
          { text: 'Add assignments', href: href(`${params.roleId ? back : '/manage'}/add-assignments`) },
        ]}
        onFollow={follow}
        ariaLabel="Breadcrumbs"
      />
      <Wizard
        activeStepIndex={step}
        isLoadingNextStep={busy}
        onNavigate={(e) => {
          if (e.detail.requestedStepIndex > step && problem) return setShown(true);
          setShown(false);
          setStep(e.detail.requestedStepIndex);
        }}
        onCancel={() => navigate(back)}
        onSubmit={() => void assign()}
        i18nStrings={{
          stepNumberLabel: (n) => `Step ${n}`,
          collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
          navigationAriaLabel: 'Steps',
          cancelButton: 'Cancel',
          previousButton: 'Previous',
          nextButton: 'Next',
          submitButton: 'Assign',
          optional: 'optional',
        }}
        steps={[
          {
            title: 'Membership',
            description: 'Choose the role, where it applies, and who gets it.',
            errorText: shown && step === 0 ? problem : undefined,
            content: (
              <Container header={<Header variant="h2">Membership</Header>}>
                <SpaceBetween size="l">
                  <FormField label="Select role">
                    <Select
                      selectedOption={selectedRole}
                      onChange={(e) => setRoleId(e.detail.selectedOption.value ?? '')}
                      options={roleOptions}
                      filteringType="auto"
                      statusType={roles.loading ? 'loading' : 'finished'}
                      loadingText="Loading roles"
                      placeholder="Select a role"
                      ariaLabel="Select role"
                    />
                  </FormField>
                  <FormField label="Scope type">
                    <RadioGroup value={scopeType} onChange={(e) => setScopeType(e.detail.value as ScopeType)} items={SCOPE_TYPES} ariaLabel="Scope type" />
                  </FormField>
                  {scopeType !== 'directory' && (
                    <FormField
                      label={scopeType === 'administrativeUnit' ? 'Administrative unit id' : 'Resource path'}
                      errorText={shown && !scope ? 'Required.' : undefined}
                    >
                      <Input
                        value={scopeValue}
                        onChange={(e) => setScopeValue(e.detail.value)}
                        placeholder={SCOPE_TYPES.find((s) => s.value === scopeType)?.description}
                      />
                    </FormField>
                  )}
                  <FormField
                    label="Select member(s)"
                    description="Users, role-assignable groups and service principals whose name starts with what you type."
                    errorText={shown && !members.length ? 'Select at least one member.' : undefined}
                  >
                    <MemberPicker selected={members} onChange={setMembers} invalid={shown && !members.length} />
                  </FormField>
                </SpaceBetween>
              </Container>
            ),
          },
          {
            title: 'Setting',
            description: `How ${members.length === 1 ? members[0]!.displayName : `${members.length} members`} get${members.length === 1 ? 's' : ''} ${roleName}.`,
            errorText: error,
            content: (
              <SpaceBetween size="m">
                <Container header={<Header variant="h2">Setting</Header>}>
                  <SpaceBetween size="l">
                    <FormField label="Assignment type">
                      <RadioGroup
                        value={level}
                        onChange={(e) => setLevel(e.detail.value as Level)}
                        ariaLabel="Assignment type"
                        items={[
                          { value: 'eligibility', label: 'Eligible', description: 'Members activate the role when they need it.' },
                          { value: 'assignment', label: 'Active', description: 'Members hold the role without activating it.' },
                        ]}
                      />
                    </FormField>
                    {rules?.permanentAllowed ? (
                      <Checkbox checked={permanent} onChange={(e) => setPermanent(e.detail.checked)}>
                        {level === 'eligibility' ? 'Permanently eligible' : 'Permanently assigned'}
                      </Checkbox>
                    ) : (
                      rules && (
                        <Alert type="info">
                          This role’s policy requires {level === 'eligibility' ? 'eligible' : 'active'} assignments to end
                          {rules.maximumDuration ? `, at most ${describeDuration(rules.maximumDuration)} after they start` : ''}.
                        </Alert>
                      )
                    )}
                    <DateTimeField label="Assignment starts" value={start} onChange={setStart} />
                    {!permanent && (
                      <DateTimeField
                        label="Assignment ends"
                        value={end}
                        onChange={setEnd}
                        description={rules?.maximumDuration ? `At most ${describeDuration(rules.maximumDuration)} after the start.` : undefined}
                      />
                    )}
                    <FormField label="Justification" description={rules?.justification ? 'Required by this role’s policy.' : 'Optional.'}>
                      <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} rows={3} ariaLabel="Justification" />
                    </FormField>
                  </SpaceBetween>
                </Container>
                {refusals.length > 0 && (
                  <Alert type="error" header={`Nothing was assigned: ${refusals.length} of ${members.length} member${members.length === 1 ? '' : 's'} refused`}>
                    <ul>
                      {refusals.map((r) => (
                        <li key={r.member.id}>
                          <strong>{r.member.displayName}</strong>: {r.message}
                        </li>
                      ))}
                    </ul>
                  </Alert>
                )}
              </SpaceBetween>
            ),
          },
        ]}
      />
    </SpaceBetween>
  );
}
