/**
 * Approve requests: Entra's "Requests for role activations" (every request waiting for me, roles and
 * groups) and my past decisions, as two tabs kept in the URL (?tab=decisions).
 */
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Tabs from '@cloudscape-design/components/tabs';
import { navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { MyDecisionsTable } from './my-decisions-table.tsx';
import { PendingTable } from './pending-table.tsx';

export default function ApproveRequestsPage(_: PageProps) {
  const { search } = useLocation();
  const tab = search.get('tab') === 'decisions' ? 'decisions' : 'pending';
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Activation, extension and renewal requests that wait for your approval, with the requester's reason and ticket.">
          Approve requests
        </Header>
      }
    >
      <Tabs
        activeTabId={tab}
        onChange={(e) => navigate(e.detail.activeTabId === 'decisions' ? '/approve-requests?tab=decisions' : '/approve-requests', { replace: true })}
        ariaLabel="Approve requests"
        tabs={[
          { id: 'pending', label: 'Requests for role activations', content: tab === 'pending' ? <PendingTable /> : null },
          { id: 'decisions', label: 'My decisions', content: tab === 'decisions' ? <MyDecisionsTable /> : null },
        ]}
      />
    </ContentLayout>
  );
}
