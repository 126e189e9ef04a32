/**
 * New group, as Entra's form: group type, name, description, "Microsoft Entra roles can be assigned to
 * the group", membership type, and members at creation (`members@odata.bind`). Owners are not a
 * directory property in Stint: a group's owners are PIM for Groups ownership, given on the group's
 * Groups page once it exists.
 */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import TokenGroup from '@cloudscape-design/components/token-group';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { directoryObjectRef, nicknameOf, objectPath, type DirectoryGroup, type DirectoryObject } from '../../domain/directory.ts';
import { navigate } from '../../router.tsx';
import { PrincipalPicker } from './principal-picker.tsx';

/** The API takes at most this many members in the create body. */
const MAX_MEMBERS_AT_CREATION = 20;

const GROUP_TYPES = [
  { value: 'Security', label: 'Security' },
  { value: 'Microsoft 365', label: 'Microsoft 365' },
];

const MEMBERSHIP_TYPES = [
  { value: 'Assigned', label: 'Assigned' },
  { value: 'Dynamic user', label: 'Dynamic user', disabled: true, description: 'Stint has no membership rules: members are added and removed explicitly.' },
  { value: 'Dynamic device', label: 'Dynamic device', disabled: true, description: 'Stint has no devices.' },
];

export function NewGroupModal({ onDismiss }: { onDismiss: () => void }) {
  const { api, notify } = useApp();
  const [groupType, setGroupType] = useState(GROUP_TYPES[0]!);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [nickname, setNickname] = useState<string>();
  const [roleAssignable, setRoleAssignable] = useState('no');
  const [members, setMembers] = useState<DirectoryObject[]>([]);
  const [nameError, setNameError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();

  const mailNickname = nickname ?? nicknameOf(name);
  const assignable = roleAssignable === 'yes';
  // Entra refuses groups inside a role-assignable group; so does the API, and the picker does not offer them.
  const shownMembers = assignable ? members.filter((m) => m['@odata.type'] !== '#microsoft.graph.group') : members;

  async function create() {
    if (!name.trim()) return setNameError('Group name is required.');
    setNameError(undefined);
    setSaving(true);
    setError(undefined);
    const unified = groupType.value === 'Microsoft 365';
    try {
      const group = await api.post<DirectoryGroup>('/v1.0/groups', {
        displayName: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        mailNickname: mailNickname || 'group',
        mailEnabled: unified,
        securityEnabled: !unified,
        groupTypes: unified ? ['Unified'] : [],
        isAssignableToRole: assignable,
        ...(shownMembers.length ? { 'members@odata.bind': shownMembers.map((m) => directoryObjectRef(m.id)) } : {}),
      });
      notify({ type: 'success', header: 'Group created', content: group.displayName });
      navigate(objectPath('groups', group.id));
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      visible
      closeAriaLabel="Close"
      size="large"
      header="New group"
      onDismiss={onDismiss}
      footer={
        <ModalFooter onCancel={onDismiss}>
          <Button variant="primary" loading={saving} onClick={() => void create()}>
            Create
          </Button>
        </ModalFooter>
      }
    >
      <Form>
        <SpaceBetween size="m">
          <ApiErrorAlert header="Could not create the group" error={error} onDismiss={() => setError(undefined)} />
          <ColumnLayout columns={2}>
            <FormField label="Group type">
              <Select
                selectedOption={groupType}
                options={GROUP_TYPES}
                onChange={(e) => setGroupType(e.detail.selectedOption as (typeof GROUP_TYPES)[0])}
                ariaLabel="Group type"
              />
            </FormField>
            <FormField label="Membership type" description="Members are added and removed explicitly.">
              <Select selectedOption={MEMBERSHIP_TYPES[0]!} options={MEMBERSHIP_TYPES} onChange={() => undefined} ariaLabel="Membership type" />
            </FormField>
            <FormField label="Group name" errorText={nameError}>
              <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Group name" ariaRequired />
            </FormField>
            <FormField label="Mail nickname" constraintText="Letters, digits, dot, underscore and hyphen.">
              <Input value={mailNickname} onChange={(e) => setNickname(e.detail.value)} ariaLabel="Mail nickname" />
            </FormField>
          </ColumnLayout>
          <FormField
            label={
              <span>
                Group description <i>- optional</i>
              </span>
            }
          >
            <Textarea value={description} onChange={(e) => setDescription(e.detail.value)} ariaLabel="Group description" rows={2} />
          </FormField>
          <FormField
            label="Microsoft Entra roles can be assigned to the group"
            description="Only Privileged Role Administrators and Global Administrators can create such a group, and it cannot have groups as members. This cannot be changed later."
          >
            <RadioGroup
              value={roleAssignable}
              onChange={(e) => setRoleAssignable(e.detail.value)}
              ariaLabel="Microsoft Entra roles can be assigned to the group"
              items={[
                { value: 'yes', label: 'Yes' },
                { value: 'no', label: 'No' },
              ]}
            />
          </FormField>
          <FormField
            label="Owners"
            description="In Stint a group's owners are PIM for Groups ownership (eligible or active): assign them from Groups once the group exists."
          >
            <Box color="text-body-secondary">No owners selected</Box>
          </FormField>
          <FormField
            label={
              <span>
                Members <i>- optional</i>
              </span>
            }
            description={assignable ? 'Users and service principals.' : 'Users, groups and service principals.'}
            constraintText={`Up to ${MAX_MEMBERS_AT_CREATION} at creation; add more from the group's page.`}
          >
            <SpaceBetween size="xs">
              <PrincipalPicker
                kinds={assignable ? ['users', 'servicePrincipals'] : ['users', 'groups', 'servicePrincipals']}
                exclude={members.map((m) => m.id)}
                ariaLabel="Search members to add"
                placeholder="Search users, groups and service principals"
                onPick={(m) => setMembers((list) => (list.length < MAX_MEMBERS_AT_CREATION ? [...list, m] : list))}
              />
              <TokenGroup
                items={shownMembers.map((m) => ({
                  label: m.displayName ?? m.id,
                  description: m.userPrincipalName ?? m.appId,
                  dismissLabel: `Remove ${m.displayName ?? m.id}`,
                }))}
                onDismiss={(e) => setMembers((list) => list.filter((m) => m.id !== shownMembers[e.detail.itemIndex]!.id))}
              />
            </SpaceBetween>
          </FormField>
        </SpaceBetween>
      </Form>
    </Modal>
  );
}
