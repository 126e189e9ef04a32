/**
 * A group: properties with Edit and Delete, its members (add, remove), and where its owners live: Stint
 * has no directory owners for groups; ownership is PIM for Groups (eligible or active owner access).
 */
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import type { DirectoryGroup } from '../../domain/directory.ts';
import { follow, href, navigate } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { AssignedRoles } from './assigned-roles.tsx';
import { DeleteModal } from './delete-modal.tsx';
import { EditModal } from './edit-modal.tsx';
import { GROUP_FIELDS } from './fields.tsx';
import { groupTypeLabel, membershipTypeLabel, yesNo } from './labels.tsx';
import { MembersTable } from './members-table.tsx';
import { ObjectPage } from './object-page.tsx';

export default function GroupPage({ params }: PageProps) {
  const { api, capabilities } = useApp();
  // Reading others' role assignments is for role readers; others would only see the API's 403 here.
  const readsRoles = capabilities['roleAssignments.readAll'] || capabilities['roleAssignments.manage'];
  const path = `/v1.0/groups/${encodeURIComponent(params.id!)}`;
  const loaded = useLoad(() => api.get<DirectoryGroup>(path), path);
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const group = loaded.data;

  return (
    <>
      <ObjectPage
        kind="groups"
        loaded={loaded}
        description={(g) => g.description ?? undefined}
        onEdit={() => setDialog('edit')}
        onDelete={() => setDialog('delete')}
        properties={(g) => [
          { label: 'Object ID', value: g.id },
          { label: 'Group type', value: groupTypeLabel(g) },
          { label: 'Membership type', value: membershipTypeLabel(g) },
          { label: 'Microsoft Entra roles can be assigned to the group', value: yesNo(g.isAssignableToRole) },
          { label: 'Email', value: g.mail ?? '—' },
          { label: 'Mail nickname', value: g.mailNickname },
          { label: 'Created', value: <Time value={g.createdDateTime} /> },
        ]}
      >
        {(g) => (
          <SpaceBetween size="l">
            <MembersTable group={g} />
            <Container header={<Header variant="h2">Owners</Header>}>
              <Box variant="p">
                In Stint a group&apos;s owners are given through PIM for Groups (eligible or active owner assignments), not as a directory property.{' '}
                <Link href={href(`/manage/groups/${encodeURIComponent(g.id)}`)} onFollow={follow}>
                  Manage owners of {g.displayName} in Groups
                </Link>
              </Box>
            </Container>
            {g.isAssignableToRole && readsRoles && <AssignedRoles principalId={g.id} />}
          </SpaceBetween>
        )}
      </ObjectPage>
      {group && dialog === 'edit' && (
        <EditModal
          header={`Edit ${group.displayName}`}
          fields={GROUP_FIELDS}
          object={group as unknown as Record<string, unknown>}
          path={path}
          onDismiss={() => setDialog(undefined)}
          onSaved={() => {
            setDialog(undefined);
            loaded.reload();
          }}
        />
      )}
      {group && dialog === 'delete' && (
        <DeleteModal
          noun="group"
          name={group.displayName}
          path={path}
          onDismiss={() => setDialog(undefined)}
          onDeleted={() => navigate('/manage/directory?tab=groups')}
        />
      )}
    </>
  );
}
