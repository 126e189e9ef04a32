/** The change before it is saved: each field, old → new, grouped by Entra's tab; and the API's refusals. */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Table from '@cloudscape-design/components/table';
import type { ApiError } from '../../api/errors.ts';
import type { FieldChange } from '../../domain/role-settings.ts';

const TAB_NAMES = { activation: 'Activation', assignment: 'Assignment', notification: 'Notification' };

export function ReviewChanges({ changes, header }: { changes: FieldChange[]; header?: React.ReactNode }) {
  return (
    <Table<FieldChange>
      header={header}
      items={changes}
      trackBy="key"
      variant="embedded"
      wrapLines
      ariaLabels={{ tableLabel: 'Changes to save' }}
      empty={<Box textAlign="center">No change: every field is as it was.</Box>}
      columnDefinitions={[
        { id: 'tab', header: 'Tab', cell: (c) => TAB_NAMES[c.tab] },
        { id: 'field', header: 'Setting', cell: (c) => c.label, isRowHeader: true },
        { id: 'before', header: 'Old value', cell: (c) => c.before },
        { id: 'after', header: 'New value', cell: (c) => <Box fontWeight="bold">{c.after}</Box> },
      ]}
    />
  );
}

/** The API's refusal word for word: its code, message and each detail. */
export function Refusal({ ruleId, error }: { ruleId?: string; error: ApiError }) {
  return (
    <Alert type="error" header={ruleId ? `Rule ${ruleId} was not saved` : 'Not saved'}>
      <Box variant="code">{error.code}</Box>: {error.message}
      {error.details.length > 0 && (
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>
              {d.target ? `${d.target}: ` : ''}
              {d.message ?? d.code}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
