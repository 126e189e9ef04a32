/**
 * A group's direct members, paged on the server, with Add members (search picker, one `members/$ref`
 * each) and Remove. The API's refusals (a role-assignable group's members are its roles' holders; the
 * last holder of a protected role) are shown as it said them.
 */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import TokenGroup from '@cloudscape-design/components/token-group';
import { useState } from 'react';
import { query } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { useServerPages } from '../../components/server-pages.ts';
import { directoryObjectRef, ODATA_TYPE_LABEL, type DirectoryGroup, type DirectoryObject } from '../../domain/directory.ts';
import { ObjectLink } from './object-link.tsx';
import { PagedTable } from './paged-table.tsx';
import { PrincipalPicker } from './principal-picker.tsx';

export function MembersTable({ group }: { group: DirectoryGroup }) {
  const { api, notify } = useApp();
  const base = `/v1.0/groups/${encodeURIComponent(group.id)}/members`;
  const pages = useServerPages<DirectoryObject>(api, `${base}${query({ $top: 25 })}`);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string>();
  const [error, setError] = useState<{ header: string; error: Error }>();

  async function remove(member: DirectoryObject) {
    setRemoving(member.id);
    setError(undefined);
    try {
      await api.delete(`${base}/${encodeURIComponent(member.id)}/$ref`);
      notify({ type: 'success', header: 'Member removed', content: `${member.displayName ?? member.id} from ${group.displayName}` });
      pages.reload();
    } catch (e) {
      setError({ header: `Could not remove ${member.displayName ?? member.id}`, error: e as Error });
    } finally {
      setRemoving(undefined);
    }
  }

  return (
    <SpaceBetween size="s">
      {error && <ApiErrorAlert header={error.header} error={error.error} onDismiss={() => setError(undefined)} />}
      <PagedTable
        pages={pages}
        label="Members"
        header={
          <Header
            variant="h2"
            description="Direct members of this group."
            actions={
              <Button iconName="add-plus" onClick={() => setAdding(true)}>
                Add members
              </Button>
            }
          >
            Members
          </Header>
        }
        emptyTitle="No members"
        emptyText="Add users, service principals or groups with Add members."
        columns={[
          { id: 'name', header: 'Name', isRowHeader: true, cell: (m) => <ObjectLink object={m} /> },
          { id: 'type', header: 'Type', cell: (m) => ODATA_TYPE_LABEL[m['@odata.type']] ?? m['@odata.type'] },
          { id: 'upn', header: 'User principal name / Application ID', cell: (m) => m.userPrincipalName ?? m.appId ?? '—' },
          {
            id: 'actions',
            header: 'Action',
            cell: (m) => (
              <Button
                variant="inline-link"
                loading={removing === m.id}
                onClick={() => void remove(m)}
                ariaLabel={`Remove ${m.displayName ?? m.id} from ${group.displayName}`}
              >
                Remove
              </Button>
            ),
          },
        ]}
      />
      {adding && (
        <AddMembersModal
          group={group}
          onDismiss={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            pages.reload();
          }}
        />
      )}
    </SpaceBetween>
  );
}

function AddMembersModal({ group, onDismiss, onAdded }: { group: DirectoryGroup; onDismiss: () => void; onAdded: () => void }) {
  const { api, notify } = useApp();
  const [chosen, setChosen] = useState<DirectoryObject[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ header: string; error: Error }>();

  async function add() {
    setSaving(true);
    setError(undefined);
    const done: string[] = [];
    try {
      // One reference per call, as Graph's members/$ref takes them; stop at the first refusal and say whose.
      for (const member of chosen) {
        try {
          await api.post(`/v1.0/groups/${encodeURIComponent(group.id)}/members/$ref`, { '@odata.id': directoryObjectRef(member.id) });
          done.push(member.id);
        } catch (e) {
          setError({ header: `Could not add ${member.displayName ?? member.id}`, error: e as Error });
          setChosen((list) => list.filter((m) => !done.includes(m.id)));
          return;
        }
      }
      notify({ type: 'success', header: `Added ${done.length} member${done.length === 1 ? '' : 's'}`, content: group.displayName });
      onAdded();
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      visible
      closeAriaLabel="Close"
      header={`Add members to ${group.displayName}`}
      onDismiss={onDismiss}
      footer={
        <ModalFooter onCancel={onDismiss}>
          <Button variant="primary" loading={saving} disabled={chosen.length === 0} onClick={() => void add()}>
            Add
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        {error && <ApiErrorAlert header={error.header} error={error.error} />}
        <FormField
          label="Members"
          description={
            group.isAssignableToRole ? 'This group can be assigned to roles: users and service principals only.' : 'Users, groups and service principals.'
          }
        >
          <SpaceBetween size="xs">
            <PrincipalPicker
              kinds={group.isAssignableToRole ? ['users', 'servicePrincipals'] : ['users', 'groups', 'servicePrincipals']}
              exclude={[group.id, ...chosen.map((m) => m.id)]}
              ariaLabel="Search members to add"
              placeholder="Search users, groups and service principals"
              onPick={(m) => setChosen((list) => [...list, m])}
            />
            <TokenGroup
              items={chosen.map((m) => ({
                label: m.displayName ?? m.id,
                description: m.userPrincipalName ?? m.appId,
                dismissLabel: `Remove ${m.displayName ?? m.id}`,
              }))}
              onDismiss={(e) => setChosen((list) => list.filter((_, i) => i !== e.detail.itemIndex))}
            />
          </SpaceBetween>
        </FormField>
      </SpaceBetween>
    </Modal>
  );
}
