/** Edit properties: the same fields as New, and a PATCH with only what changed. */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { changedFields, textOf, type FieldValue } from '../../domain/directory.ts';
import { missingRequired, PropertyFields, type FieldSpec, type Values } from './fields.tsx';

/** A form value from a property: a toggle's boolean, a list's first entry (lists) or all entries joined (csv). */
function initial(field: FieldSpec, value: unknown, lists: readonly string[]): FieldValue {
  if (field.type === 'toggle') return value === true;
  return textOf(lists.includes(field.key) && Array.isArray(value) ? value[0] : value);
}

export function EditModal({
  header,
  fields,
  object,
  path,
  lists = [],
  csv = [],
  onDismiss,
  onSaved,
}: {
  header: string;
  fields: FieldSpec[];
  object: Record<string, unknown>;
  path: string;
  lists?: readonly string[];
  csv?: readonly string[];
  onDismiss: () => void;
  onSaved: () => void;
}) {
  const { api, notify } = useApp();
  const [values, setValues] = useState<Values>(() => Object.fromEntries(fields.map((f) => [f.key, initial(f, object[f.key], lists)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const before = Object.fromEntries(
    fields.map((f) => [f.key, lists.includes(f.key) ? ((object[f.key] as unknown[] | undefined)?.[0] ?? null) : object[f.key]]),
  );
  const patch = changedFields(before, values, lists, csv);
  const changed = Object.keys(patch).length > 0;

  async function save() {
    const missing = missingRequired(fields, values);
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setSaving(true);
    setError(undefined);
    try {
      await api.patch(path, patch);
      notify({ type: 'success', header: 'Saved', content: `${Object.keys(patch).length} propert${Object.keys(patch).length === 1 ? 'y' : 'ies'} changed.` });
      onSaved();
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
      header={header}
      onDismiss={onDismiss}
      footer={
        <ModalFooter onCancel={onDismiss}>
          <Button variant="primary" loading={saving} disabled={!changed} onClick={() => void save()}>
            Save
          </Button>
        </ModalFooter>
      }
    >
      <Form>
        <SpaceBetween size="m">
          <ApiErrorAlert header="Could not save" error={error} onDismiss={() => setError(undefined)} />
          <PropertyFields fields={fields} values={values} errors={errors} onChange={(k, v) => setValues((s) => ({ ...s, [k]: v }))} />
        </SpaceBetween>
      </Form>
    </Modal>
  );
}
