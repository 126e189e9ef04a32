/** Delete, after a confirmation that names the object; the API's refusal (roles still held, …) shown as it said it. */
import { ModalFooter } from '../../components/modal-footer.tsx';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';

export function DeleteModal({
  noun,
  name,
  path,
  onDismiss,
  onDeleted,
}: {
  noun: string;
  name: string;
  path: string;
  onDismiss: () => void;
  onDeleted: () => void;
}) {
  const { api, notify } = useApp();
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<Error>();

  async function remove() {
    setDeleting(true);
    setError(undefined);
    try {
      await api.delete(path);
      notify({ type: 'success', header: `Deleted ${noun}`, content: name });
      onDeleted();
    } catch (e) {
      setError(e as Error);
    } finally {
      setDeleting(false);
    }
  }

  return (
    <Modal
      visible
      closeAriaLabel="Close"
      header={`Delete ${noun}`}
      onDismiss={onDismiss}
      footer={
        <ModalFooter onCancel={onDismiss}>
          <Button variant="primary" loading={deleting} onClick={() => void remove()} ariaLabel={`Delete ${noun} ${name}`}>
            Delete
          </Button>
        </ModalFooter>
      }
    >
      <SpaceBetween size="m">
        <Box variant="p">
          Delete {noun} <b>{name}</b>? This cannot be undone.
        </Box>
        {error ? (
          <ApiErrorAlert header={`Could not delete ${name}`} error={error} />
        ) : (
          <Alert type="info">The API refuses while it still holds roles (directly or through its groups); remove those assignments first.</Alert>
        )}
      </SpaceBetween>
    </Modal>
  );
}
