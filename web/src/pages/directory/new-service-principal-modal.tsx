/** New service principal: a workload or managed identity, known by its application (client) ID. */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import Toggle from '@cloudscape-design/components/toggle';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { objectPath, type DirectoryServicePrincipal } from '../../domain/directory.ts';
import { navigate } from '../../router.tsx';

const TYPES = [
  { value: 'Application', label: 'Application', description: 'A workload signing in with its own credentials.' },
  { value: 'ManagedIdentity', label: 'Managed identity', description: 'An identity a cloud platform manages for a resource.' },
];

export function NewServicePrincipalModal({ onDismiss }: { onDismiss: () => void }) {
  const { api, notify } = useApp();
  const [appId, setAppId] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState(TYPES[0]!);
  const [tags, setTags] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [appIdError, setAppIdError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();

  async function create() {
    if (!appId.trim()) return setAppIdError('Application (client) ID is required.');
    setAppIdError(undefined);
    setSaving(true);
    setError(undefined);
    try {
      const tagList = tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const sp = await api.post<DirectoryServicePrincipal>('/v1.0/servicePrincipals', {
        appId: appId.trim(),
        ...(name.trim() ? { displayName: name.trim() } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
        servicePrincipalType: type.value,
        accountEnabled: enabled,
        ...(tagList.length ? { tags: tagList } : {}),
      });
      notify({ type: 'success', header: 'Service principal created', content: sp.displayName });
      navigate(objectPath('servicePrincipals', sp.id));
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  }

  const optional = (label: string) => (
    <span>
      {label} <i>- optional</i>
    </span>
  );

  return (
    <Modal
      visible
      closeAriaLabel="Close"
      size="medium"
      header="New service principal"
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
          <ApiErrorAlert header="Could not create the service principal" error={error} onDismiss={() => setError(undefined)} />
          <FormField label="Application (client) ID" description="The workload's client ID, as its tokens carry it." errorText={appIdError}>
            <Input value={appId} onChange={(e) => setAppId(e.detail.value)} ariaLabel="Application (client) ID" ariaRequired />
          </FormField>
          <ColumnLayout columns={2}>
            <FormField label={optional('Display name')} constraintText="The application ID when left empty.">
              <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Display name" />
            </FormField>
            <FormField label="Type">
              <Select selectedOption={type} options={TYPES} onChange={(e) => setType(e.detail.selectedOption as (typeof TYPES)[0])} ariaLabel="Type" />
            </FormField>
          </ColumnLayout>
          <FormField label={optional('Description')}>
            <Textarea value={description} onChange={(e) => setDescription(e.detail.value)} ariaLabel="Description" rows={2} />
          </FormField>
          <FormField label={optional('Tags')} constraintText="Separated by commas.">
            <Input value={tags} onChange={(e) => setTags(e.detail.value)} ariaLabel="Tags" />
          </FormField>
          <Toggle checked={enabled} onChange={(e) => setEnabled(e.detail.checked)}>
            Account enabled
          </Toggle>
        </SpaceBetween>
      </Form>
    </Modal>
  );
}
