/** A service principal: properties with Edit and Delete, and the roles it holds. */
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import type { DirectoryServicePrincipal } from '../../domain/directory.ts';
import { navigate } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { AssignedRoles } from './assigned-roles.tsx';
import { DeleteModal } from './delete-modal.tsx';
import { EditModal } from './edit-modal.tsx';
import { CSV_FIELDS, SERVICE_PRINCIPAL_FIELDS } from './fields.tsx';
import { AccountEnabled } from './labels.tsx';
import { ObjectPage } from './object-page.tsx';

export default function ServicePrincipalPage({ params }: PageProps) {
  const { api, capabilities } = useApp();
  // Reading others' role assignments is for role readers; others would only see the API's 403 here.
  const readsRoles = capabilities['roleAssignments.readAll'] || capabilities['roleAssignments.manage'];
  const path = `/v1.0/servicePrincipals/${encodeURIComponent(params.id!)}`;
  const loaded = useLoad(() => api.get<DirectoryServicePrincipal>(path), path);
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const sp = loaded.data;

  return (
    <>
      <ObjectPage
        kind="servicePrincipals"
        loaded={loaded}
        description={(s) => s.description ?? undefined}
        onEdit={() => setDialog('edit')}
        onDelete={() => setDialog('delete')}
        properties={(s) => [
          { label: 'Application ID', value: s.appId },
          { label: 'Object ID', value: s.id },
          { label: 'Description', value: s.description ?? '—' },
          { label: 'Type', value: s.servicePrincipalType === 'ManagedIdentity' ? 'Managed identity' : 'Application' },
          { label: 'Account enabled', value: <AccountEnabled value={s.accountEnabled} /> },
          { label: 'Tags', value: s.tags.length ? s.tags.join(', ') : '—' },
          { label: 'Created', value: <Time value={s['@stint.createdDateTime']} /> },
        ]}
      >
        {(s) => readsRoles && <AssignedRoles principalId={s.id} />}
      </ObjectPage>
      {sp && dialog === 'edit' && (
        <EditModal
          header={`Edit ${sp.displayName}`}
          fields={SERVICE_PRINCIPAL_FIELDS}
          csv={CSV_FIELDS}
          object={sp as unknown as Record<string, unknown>}
          path={path}
          onDismiss={() => setDialog(undefined)}
          onSaved={() => {
            setDialog(undefined);
            loaded.reload();
          }}
        />
      )}
      {sp && dialog === 'delete' && (
        <DeleteModal
          noun="service principal"
          name={sp.displayName}
          path={path}
          onDismiss={() => setDialog(undefined)}
          onDeleted={() => navigate('/manage/directory?tab=servicePrincipals')}
        />
      )}
    </>
  );
}
