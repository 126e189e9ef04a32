/**
 * Directory: users, groups and service principals, one tab each (`?tab=groups`), searched and paged on
 * the server, with Entra's New user / New group / New service principal.
 */
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { isKind, KIND_LABEL, KINDS, type DirectoryKind } from '../../domain/directory.ts';
import { navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { NewGroupModal } from './new-group-modal.tsx';
import { NewServicePrincipalModal } from './new-service-principal-modal.tsx';
import { NewUserModal } from './new-user-modal.tsx';
import { ObjectList } from './object-list.tsx';

const NEW_MODAL = { users: NewUserModal, groups: NewGroupModal, servicePrincipals: NewServicePrincipalModal };

export default function DirectoryPage(_: PageProps) {
  const location = useLocation();
  const tab = location.search.get('tab');
  const kind: DirectoryKind = isKind(tab) ? tab : 'users';
  const [creating, setCreating] = useState<DirectoryKind>();
  const Modal = creating && NEW_MODAL[creating];

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="The people, groups and workload identities that roles are assigned to.">
          Directory
        </Header>
      }
    >
      <Tabs
        activeTabId={kind}
        onChange={(e) => navigate(`/manage/directory?tab=${e.detail.activeTabId}`)}
        ariaLabel="Kinds of directory object"
        tabs={KINDS.map((k) => ({
          id: k,
          label: KIND_LABEL[k].plural,
          content: k === kind ? <ObjectList key={k} kind={k} onNew={() => setCreating(k)} /> : null,
        }))}
      />
      {Modal && <Modal onDismiss={() => setCreating(undefined)} />}
    </ContentLayout>
  );
}
