/**
 * "Reduce Global Administrators": every eligible and active Global Administrator assignment, with their
 * last activation and sign-in to judge who needs the role; the selected ones are removed, or (active
 * ones) converted to eligible. Each item's outcome is shown, so a refusal such as the last Global
 * Administrator stands beside the others' success.
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { INSIGHTS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { useLoad } from '../../components/page-states.tsx';
import { ACTION_LABEL, canConvert, MAX_SELECTION, type ActionOutcome, type InsightAction, type PrivilegedAssignment } from '../../domain/insights.ts';
import { AssignmentsTable } from './assignments-table.tsx';
import { ConfirmActionModal } from './confirm-action-modal.tsx';
import { OutcomesTable, type Outcomes } from './outcomes.tsx';

export function ReduceGlobalAdminsTab({ onChanged }: { onChanged: () => void }) {
  const { api, capabilities, notify } = useApp();
  const [round, setRound] = useState(0);
  const list = useLoad(async () => (await api.get<{ value: PrivilegedAssignment[] }>(`${INSIGHTS}/globalAdministrators`)).value, `global|${round}`);
  const [selected, setSelected] = useState<PrivilegedAssignment[]>([]);
  const [action, setAction] = useState<InsightAction>();
  const [result, setResult] = useState<Outcomes>();
  const manage = capabilities['roleAssignments.manage'];
  const tooMany = selected.length > MAX_SELECTION;

  async function run(chosen: InsightAction, justification: string | undefined) {
    const answer = await api.post<{ value: ActionOutcome[] }>(`${INSIGHTS}/reduceGlobalAdministrators`, {
      assignments: selected.map((a) => ({ scheduleId: a.id, action: chosen })),
      ...(justification ? { justification } : {}),
    });
    const ok = answer.value.filter((o) => o.status === 'succeeded').length;
    notify({ type: ok === answer.value.length ? 'success' : 'warning', content: `${ACTION_LABEL[chosen]}: ${ok} of ${answer.value.length} done.` });
    setResult({ outcomes: answer.value, acted: new Map(selected.map((a) => [a.id, a])) });
    setSelected([]);
    setAction(undefined);
    setRound((r) => r + 1);
    onChanged();
  }

  const n = selected.length;
  const what = n === 1 ? 'the selected assignment' : `the ${n} selected assignments`;
  return (
    <SpaceBetween size="l">
      {result && <OutcomesTable result={result} title="Results of Reduce Global Administrators" />}
      <AssignmentsTable
        title="Reduce Global Administrators"
        description="Everyone eligible for or assigned to Global Administrator. Remove the role from those who do not need it, or make active holders eligible."
        items={list.data}
        loading={list.loading}
        error={list.error}
        retry={list.reload}
        columns={['principal', 'standing', 'start', 'end', 'lastActivation', 'lastSignIn']}
        selectable={manage}
        selected={selected}
        onSelect={setSelected}
        empty={['No Global Administrators', 'No one is eligible for or assigned to Global Administrator.']}
        actions={
          manage && (
            <SpaceBetween direction="horizontal" size="xs">
              <Button disabled={n === 0 || tooMany || !selected.every(canConvert)} onClick={() => setAction('convertToEligible')}>
                Convert to eligible
              </Button>
              <Button disabled={n === 0 || tooMany} onClick={() => setAction('remove')}>
                Remove
              </Button>
            </SpaceBetween>
          )
        }
      />
      {tooMany && <Box color="text-status-error">Select at most {MAX_SELECTION} assignments at a time.</Box>}
      {n > 0 && !selected.every(canConvert) && (
        <Box color="text-body-secondary">Convert to eligible applies to active assignments only: the selection includes eligible ones.</Box>
      )}
      {action && (
        <ConfirmActionModal
          header={action === 'remove' ? 'Remove Global Administrator assignments?' : 'Convert to eligible?'}
          confirmText={ACTION_LABEL[action]}
          onConfirm={(justification) => run(action, justification)}
          onClose={() => setAction(undefined)}
        >
          {action === 'remove'
            ? `The Global Administrator role is removed now from ${what}; an eligible one can no longer be activated, and an activation made from it ends.`
            : `${what.charAt(0).toUpperCase()}${what.slice(1)} stop being active now; each person becomes eligible for Global Administrator and activates it when needed.`}{' '}
          The last Global Administrator is never removed: such an item is refused and left as it was.
        </ConfirmActionModal>
      )}
    </SpaceBetween>
  );
}
