/** New user: Graph's create body (user principal name, display name, properties); sign-in stays with the identity provider. */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { objectPath, type DirectoryUser } from '../../domain/directory.ts';
import { navigate } from '../../router.tsx';
import { createBody } from './create-body.ts';
import { LIST_FIELDS, missingRequired, PropertyFields, USER_FIELDS, type Values } from './fields.tsx';

const EMPTY: Values = { ...Object.fromEntries(USER_FIELDS.map((f) => [f.key, ''])), accountEnabled: true };

export function NewUserModal({ onDismiss }: { onDismiss: () => void }) {
  const { api, notify } = useApp();
  const [upn, setUpn] = useState('');
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();

  async function create() {
    const missing = missingRequired(USER_FIELDS, values);
    if (!upn.includes('@')) missing.userPrincipalName = 'User principal name is required, as name@domain.';
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setSaving(true);
    setError(undefined);
    try {
      const body = { ...createBody(values, LIST_FIELDS), userPrincipalName: upn.trim(), mailNickname: upn.trim().split('@')[0] };
      const user = await api.post<DirectoryUser>('/v1.0/users', body);
      notify({ type: 'success', header: 'User created', content: `${user.displayName} (${user.userPrincipalName})` });
      navigate(objectPath('users', user.id));
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
      header="New user"
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
          <ApiErrorAlert header="Could not create the user" error={error} onDismiss={() => setError(undefined)} />
          <FormField
            label="User principal name"
            description="The name the person signs in with. Sign-in itself (password, MFA) stays with your identity provider."
            errorText={errors.userPrincipalName}
          >
            <Input value={upn} onChange={(e) => setUpn(e.detail.value)} placeholder="name@contoso.com" ariaLabel="User principal name" ariaRequired />
          </FormField>
          <PropertyFields fields={USER_FIELDS} values={values} errors={errors} onChange={(k, v) => setValues((s) => ({ ...s, [k]: v }))} />
        </SpaceBetween>
      </Form>
    </Modal>
  );
}
