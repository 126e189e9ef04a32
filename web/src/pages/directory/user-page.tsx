/** A user: properties with Edit and Delete, the groups they are a member of, the roles they hold. */
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import type { DirectoryUser } from '../../domain/directory.ts';
import { navigate } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { AssignedRoles } from './assigned-roles.tsx';
import { DeleteModal } from './delete-modal.tsx';
import { EditModal } from './edit-modal.tsx';
import { LIST_FIELDS, USER_FIELDS } from './fields.tsx';
import { AccountEnabled } from './labels.tsx';
import { MemberOfTable } from './member-of-table.tsx';
import { ObjectPage } from './object-page.tsx';

const dash = (v: string | null | undefined) => v || '—';

export default function UserPage({ params }: PageProps) {
  const { api, capabilities } = useApp();
  // Reading others' role assignments is for role readers; others would only see the API's 403 here.
  const readsRoles = capabilities['roleAssignments.readAll'] || capabilities['roleAssignments.manage'];
  const path = `/v1.0/users/${encodeURIComponent(params.id!)}`;
  const loaded = useLoad(() => api.get<DirectoryUser>(path), path);
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const user = loaded.data;

  return (
    <>
      <ObjectPage
        kind="users"
        loaded={loaded}
        description={(u) => u.userPrincipalName}
        onEdit={() => setDialog('edit')}
        onDelete={() => setDialog('delete')}
        properties={(u) => [
          { label: 'User principal name', value: u.userPrincipalName },
          { label: 'Object ID', value: u.id },
          { label: 'Account enabled', value: <AccountEnabled value={u.accountEnabled} /> },
          { label: 'First name', value: dash(u.givenName) },
          { label: 'Last name', value: dash(u.surname) },
          { label: 'Email', value: dash(u.mail) },
          { label: 'Job title', value: dash(u.jobTitle) },
          { label: 'Department', value: dash(u.department) },
          { label: 'Company name', value: dash(u.companyName) },
          { label: 'Employee ID', value: dash(u.employeeId) },
          { label: 'Office location', value: dash(u.officeLocation) },
          { label: 'Business phone', value: dash(u.businessPhones[0]) },
          { label: 'Mobile phone', value: dash(u.mobilePhone) },
          { label: 'Usage location', value: dash(u.usageLocation) },
          { label: 'Created', value: <Time value={u.createdDateTime} /> },
        ]}
      >
        {(u) => (
          <SpaceBetween size="l">
            <MemberOfTable userId={u.id} />
            {readsRoles && <AssignedRoles principalId={u.id} />}
          </SpaceBetween>
        )}
      </ObjectPage>
      {user && dialog === 'edit' && (
        <EditModal
          header={`Edit ${user.displayName}`}
          fields={USER_FIELDS}
          lists={LIST_FIELDS}
          object={user as unknown as Record<string, unknown>}
          path={path}
          onDismiss={() => setDialog(undefined)}
          onSaved={() => {
            setDialog(undefined);
            loaded.reload();
          }}
        />
      )}
      {user && dialog === 'delete' && (
        <DeleteModal
          noun="user"
          name={user.displayName}
          path={path}
          onDismiss={() => setDialog(undefined)}
          onDeleted={() => navigate('/manage/directory?tab=users')}
        />
      )}
    </>
  );
}
