/**
 * Manage → Discovery and insights (Entra's PIM wizard): the overview figures, then Entra's three actions
 * (Reduce Global Administrators, Eliminate standing access, Review service principals) and the weekly
 * digest's settings, each a tab whose choice lives in the URL (?tab=…). An action refreshes the figures.
 */
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { INSIGHTS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import type { InsightsOverview } from '../../domain/insights.ts';
import { navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { DigestSettingsTab } from './digest-settings-tab.tsx';
import { Overview } from './overview.tsx';
import { ReduceGlobalAdminsTab } from './reduce-global-admins-tab.tsx';
import { ServicePrincipalsTab } from './service-principals-tab.tsx';
import { StandingAccessTab } from './standing-access-tab.tsx';

const TABS = ['standing-access', 'global-administrators', 'service-principals', 'digest'] as const;
type Tab = (typeof TABS)[number];

export default function InsightsPage(_: PageProps) {
  const { api } = useApp();
  const location = useLocation();
  const tab: Tab = TABS.find((t) => t === location.search.get('tab')) ?? 'standing-access';
  const [round, setRound] = useState(0);
  const overview = useLoad(() => api.get<InsightsOverview>(`${INSIGHTS}/overview`), `overview|${round}`);
  const changed = () => setRound((r) => r + 1);

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="How privileged access is held and used, and three ways to reduce standing privilege.">
          Discovery and insights
        </Header>
      }
    >
      <SpaceBetween size="l">
        {overview.error ? <LoadError error={overview.error} retry={overview.reload} /> : overview.data && <Overview overview={overview.data} />}
        <Tabs
          activeTabId={tab}
          onChange={(e) => navigate(`/manage/insights?tab=${e.detail.activeTabId}`, { replace: true })}
          ariaLabel="Discovery and insights"
          tabs={[
            { id: 'standing-access', label: 'Eliminate standing access', content: <StandingAccessTab onChanged={changed} /> },
            { id: 'global-administrators', label: 'Reduce Global Administrators', content: <ReduceGlobalAdminsTab onChanged={changed} /> },
            { id: 'service-principals', label: 'Review service principals', content: <ServicePrincipalsTab /> },
            { id: 'digest', label: 'Weekly digest', content: <DigestSettingsTab /> },
          ]}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}
