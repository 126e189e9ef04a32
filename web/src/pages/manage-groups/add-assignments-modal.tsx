/**
 * Add assignments to a group, in Entra's two steps. Membership: Select role (Member / Owner) and Select
 * member(s) from a server-side search. Setting: Assignment type Eligible / Active, Permanently eligible or
 * assigned where the policy allows, start and end, justification. Every request is first checked with
 * `isValidationOnly`; nothing is created unless all pass.
 */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { DateTimeField, localDateTime, toIso } from '../../components/date-time-field.tsx';
import { useLoad } from '../../components/page-states.tsx';
import { PrincipalSearch, type Principal, type PrincipalType } from '../../components/principal-search.tsx';
import { describeDuration, durationHours } from '../../components/time.tsx';
import { settingsFromRules } from '../../domain/role-settings.ts';
import { href, useLocation } from '../../router.tsx';
import { groupTarget, loadPolicy } from '../role-settings/policy-data.ts';
import { adminRequest, requestPath, type AccessId, type Level } from './group-data.ts';

// Stable references: the picker searches again when these change.
const MEMBER_TYPES: PrincipalType[] = ['user', 'group'];
const NO_GROUPS = () => 'Groups cannot be members or owners of a role-assignable group.';

export function AddAssignmentsModal({
  groupId,
  groupName,
  roleAssignable,
  initialAccess,
  onClose,
  onDone,
}: {
  groupId: string;
  groupName: string;
  roleAssignable: boolean;
  initialAccess: AccessId;
  onClose: () => void;
  onDone: () => void;
}) {
  const { api, notify, session } = useApp();
  const location = useLocation();
  const [step, setStep] = useState<'membership' | 'setting'>('membership');
  const [accessId, setAccessId] = useState<AccessId>(initialAccess);
  const [members, setMembers] = useState<Principal[]>([]);
  const [level, setLevel] = useState<Level>('eligibility');
  const [permanent, setPermanent] = useState(false);
  const now = new Date();
  const [start, setStart] = useState(localDateTime(now));
  const [end, setEnd] = useState<{ date: string; time: string }>();
  const [justification, setJustification] = useState('');
  const [errors, setErrors] = useState<{ who: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);

  const policy = useLoad(() => loadPolicy(api, groupTarget(groupId, accessId)), `${groupId}:${accessId}`);
  const settings = policy.data ? settingsFromRules(policy.data.rules) : undefined;
  const allowsPermanent = settings ? (level === 'eligibility' ? settings.permanentEligible : settings.permanentActive) : false;
  const maximum = settings ? (level === 'eligibility' ? settings.eligibleExpiry : settings.activeExpiry) : 'P365D';
  const needsJustification = level === 'assignment' && settings?.activeJustification === true;
  const isPermanent = permanent && allowsPermanent;
  const startIso = toIso(start);
  const defaultEnd = localDateTime(new Date((startIso ? Date.parse(startIso) : now.getTime()) + (durationHours(maximum) ?? 24 * 365) * 3_600_000));
  const endValue = end ?? defaultEnd;
  const endIso = isPermanent ? null : toIso(endValue);

  const invalid = {
    start: !startIso ? 'Enter a start date and time.' : undefined,
    end: isPermanent ? undefined : !endIso ? 'Enter an end date and time.' : startIso && endIso <= startIso ? 'The end must be after the start.' : undefined,
    justification: needsJustification && !justification.trim() ? 'This group requires a justification on active assignment.' : undefined,
  };

  async function assign() {
    setTouched(true);
    if (Object.values(invalid).some(Boolean)) return;
    setBusy(true);
    setErrors([]);
    const body = (p: Principal, isValidationOnly: boolean) =>
      adminRequest({
        action: 'adminAssign',
        groupId,
        accessId,
        principalId: p.id,
        justification: justification.trim() || undefined,
        start: startIso,
        end: endIso,
        isValidationOnly,
      });
    try {
      // Check every request first, so that a refusal for one person creates nothing for the others.
      const checks = await Promise.all(
        members.map((p) =>
          api.post(requestPath(level), body(p, true)).then(
            () => undefined,
            (e: Error) => {
              if (e instanceof StepUpRequired) throw e;
              return { who: p.displayName, message: e.message };
            },
          ),
        ),
      );
      const refused = checks.filter((c): c is { who: string; message: string } => c !== undefined);
      if (refused.length) {
        setErrors(refused);
        return;
      }
      const failed: { who: string; message: string }[] = [];
      for (const p of members) {
        try {
          await api.post(requestPath(level), body(p, false));
        } catch (e) {
          if (e instanceof StepUpRequired) throw e;
          failed.push({ who: p.displayName, message: (e as Error).message });
        }
      }
      if (failed.length) setErrors(failed);
      const done = members.length - failed.length;
      if (done > 0) {
        notify({
          type: 'success',
          header: 'Assignments added',
          content: `${done} ${level === 'eligibility' ? 'eligible' : 'active'} ${accessId} assignment${done === 1 ? '' : 's'} added to ${groupName}.`,
        });
      }
      if (!failed.length) onDone();
    } catch (e) {
      if (e instanceof StepUpRequired) {
        notify({ type: 'info', header: 'Sign in with MFA', content: 'Assigning needs a recent MFA sign-in. Add the assignments again after signing in.' });
        await session.stepUp(href(`${location.path}?${location.search.toString()}`), e.maxAgeSeconds);
        return;
      }
      setErrors([{ who: '', message: (e as Error).message }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      visible
      onDismiss={onClose}
      size="large"
      header={`Add assignments - ${groupName}`}
      footer={
        <ModalFooter onCancel={onClose}>
          {step === 'setting' && (
            <Button onClick={() => setStep('membership')} disabled={busy}>
              &lt; Prev
            </Button>
          )}
          {step === 'membership' ? (
            <Button variant="primary" disabled={members.length === 0} onClick={() => setStep('setting')}>
              Next &gt;
            </Button>
          ) : (
            <Button variant="primary" loading={busy} disabled={!policy.data} onClick={() => void assign()}>
              Assign
            </Button>
          )}
        </ModalFooter>
      }
    >
      <SpaceBetween size="l">
        <Box variant="h3">{step === 'membership' ? 'Membership' : 'Setting'}</Box>
        {errors.map((e, i) => (
          <Alert key={i} type="error" header={e.who ? `Not assigned: ${e.who}` : 'Not assigned'}>
            {e.message}
          </Alert>
        ))}
        {step === 'membership' ? (
          <SpaceBetween size="l">
            <FormField label="Select role">
              <Select
                selectedOption={{ value: accessId, label: accessId === 'member' ? 'Member' : 'Owner' }}
                options={[
                  { value: 'member', label: 'Member' },
                  { value: 'owner', label: 'Owner' },
                ]}
                onChange={(e) => setAccessId(e.detail.selectedOption.value as AccessId)}
                ariaLabel="Select role"
              />
            </FormField>
            <FormField
              label="Select member(s)"
              description={roleAssignable ? 'This group can be assigned to roles, so only users can be its members or owners.' : 'Users or groups.'}
            >
              <PrincipalSearch
                label="Select member(s)"
                types={MEMBER_TYPES}
                selected={members}
                onChange={setMembers}
                groupFilter={roleAssignable ? NO_GROUPS : undefined}
              />
            </FormField>
          </SpaceBetween>
        ) : (
          <SpaceBetween size="l">
            <FormField label="Assignment type">
              <RadioGroup
                value={level}
                onChange={(e) => setLevel(e.detail.value as Level)}
                ariaLabel="Assignment type"
                items={[
                  { value: 'eligibility', label: 'Eligible', description: 'The member activates the membership when needed.' },
                  { value: 'assignment', label: 'Active', description: 'The member holds it from the start, without activating.' },
                ]}
              />
            </FormField>
            <Checkbox checked={isPermanent} disabled={!allowsPermanent} onChange={(e) => setPermanent(e.detail.checked)}>
              {level === 'eligibility' ? 'Permanently eligible' : 'Permanently assigned'}
              {settings && !allowsPermanent && (
                <Box variant="small" display="block">
                  The {accessId} settings of this group expire {level === 'eligibility' ? 'eligible' : 'active'} assignments after {describeDuration(maximum)}.
                </Box>
              )}
            </Checkbox>
            <DateTimeField label="Assignment starts" value={start} onChange={setStart} errorText={touched ? invalid.start : undefined} />
            {!isPermanent && (
              <DateTimeField
                label="Assignment ends"
                value={endValue}
                onChange={setEnd}
                errorText={touched ? invalid.end : undefined}
                description={`At most ${describeDuration(maximum)} after the start.`}
              />
            )}
            <FormField
              label={needsJustification ? 'Enter justification' : 'Enter justification (optional)'}
              errorText={touched ? invalid.justification : undefined}
            >
              <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} ariaLabel="Justification" rows={3} />
            </FormField>
          </SpaceBetween>
        )}
      </SpaceBetween>
    </Modal>
  );
}
