/**
 * "Eliminate standing access": the permanent and time-bound active assignments of privileged roles;
 * the selected ones become eligible in one step (each through the audited role request path), and
 * each item's outcome is shown.
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { INSIGHTS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { useLoad } from '../../components/page-states.tsx';
import { MAX_SELECTION, type ActionOutcome, type PrivilegedAssignment } from '../../domain/insights.ts';
import { AssignmentsTable } from './assignments-table.tsx';
import { ConfirmActionModal } from './confirm-action-modal.tsx';
import { OutcomesTable, type Outcomes } from './outcomes.tsx';

export function StandingAccessTab({ onChanged }: { onChanged: () => void }) {
  const { api, capabilities, notify } = useApp();
  const [round, setRound] = useState(0);
  const list = useLoad(async () => (await api.get<{ value: PrivilegedAssignment[] }>(`${INSIGHTS}/standingAccess`)).value, `standing|${round}`);
  const [selected, setSelected] = useState<PrivilegedAssignment[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<Outcomes>();
  const manage = capabilities['roleAssignments.manage'];
  const tooMany = selected.length > MAX_SELECTION;

  async function convert(justification: string | undefined) {
    const answer = await api.post<{ value: ActionOutcome[] }>(`${INSIGHTS}/eliminateStandingAccess`, {
      scheduleIds: selected.map((a) => a.id),
      ...(justification ? { justification } : {}),
    });
    const ok = answer.value.filter((o) => o.status === 'succeeded').length;
    notify({ type: ok === answer.value.length ? 'success' : 'warning', content: `${ok} of ${answer.value.length} assignments are now eligible.` });
    setResult({ outcomes: answer.value, acted: new Map(selected.map((a) => [a.id, a])) });
    setSelected([]);
    setConfirming(false);
    setRound((r) => r + 1);
    onChanged();
  }

  return (
    <SpaceBetween size="l">
      {result && <OutcomesTable result={result} title="Results of Eliminate standing access" />}
      <AssignmentsTable
        title="Eliminate standing access"
        description="Active assignments of privileged roles, permanent or time-bound. Convert them to eligible: people then activate the role when they need it."
        items={list.data}
        loading={list.loading}
        error={list.error}
        retry={list.reload}
        columns={['principal', 'role', 'standing', 'start', 'end', 'lastActivation']}
        selectable={manage}
        selected={selected}
        onSelect={setSelected}
        empty={['No standing access', 'No one holds a privileged role as an active assignment.']}
        actions={
          manage && (
            <Button variant="primary" disabled={selected.length === 0 || tooMany} onClick={() => setConfirming(true)}>
              Convert to eligible
            </Button>
          )
        }
      />
      {tooMany && <Box color="text-status-error">Select at most {MAX_SELECTION} assignments at a time.</Box>}
      {confirming && (
        <ConfirmActionModal header="Convert to eligible?" confirmText="Convert to eligible" onConfirm={convert} onClose={() => setConfirming(false)}>
          {selected.length === 1 ? 'The selected assignment' : `The ${selected.length} selected assignments`} stop being active now. Each person gets an
          eligible assignment of the same role (with the same end, or as long as the role&rsquo;s settings allow) and activates it when needed, under the
          role&rsquo;s activation rules such as MFA or approval. If an item is refused (the last Global Administrator, for instance), it is left as it was.
        </ConfirmActionModal>
      )}
    </SpaceBetween>
  );
}
