/**
 * Manage → Alerts: PIM's security alerts, High first, each with its incidents, when it was last scanned
 * and whether it is active or dismissed. Managers scan now (the API answers when the scan is done);
 * readers see the same list. The six alerts are one small list, so it is read whole.
 */
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import { bySeverity, type Alert } from '../../domain/alerts.ts';
import { follow, href } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { listAlerts, scanAll } from './alert-data.ts';
import { SeverityLabel } from './severity.tsx';

export function AlertState({ alert }: { alert: Alert }) {
  if (alert.alertConfiguration?.isEnabled === false) return <StatusIndicator type="stopped">Disabled</StatusIndicator>;
  if (alert.isActive) return <StatusIndicator type="warning">Active</StatusIndicator>;
  if (alert.incidentCount > 0) return <StatusIndicator type="info">Dismissed</StatusIndicator>;
  return <StatusIndicator type="success">No issues</StatusIndicator>;
}

export default function AlertsPage(_: PageProps) {
  const { api, capabilities, notify, session } = useApp();
  const alerts = useLoad(async () => (await listAlerts(api)).sort(bySeverity), 'alerts');
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<Error>();
  const manage = capabilities['alerts.manage'];

  async function scan() {
    setScanning(true);
    setError(undefined);
    try {
      await scanAll(api);
      notify({ type: 'success', content: 'Scan complete: the alerts are up to date.' });
      alerts.reload();
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.pathname, e.maxAgeSeconds);
      setError(e as Error);
    } finally {
      setScanning(false);
    }
  }

  const items = alerts.data ?? [];
  const last = items.map((a) => a.lastScannedDateTime).reduce<string | null>((m, t) => (t && (!m || t > m) ? t : m), null);
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Where privileged access is drifting: each alert lists its incidents, what they put at risk and how to fix them."
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button href={href('/manage/alerts/settings')} onFollow={follow}>
                Settings
              </Button>
              {manage && (
                <Button variant="primary" iconName="refresh" loading={scanning} onClick={() => void scan()}>
                  Scan
                </Button>
              )}
            </SpaceBetween>
          }
        >
          Alerts
        </Header>
      }
    >
      <SpaceBetween size="l">
        <ApiErrorAlert header="The scan was refused" error={error} onDismiss={() => setError(undefined)} />
        {alerts.error ? (
          <LoadError error={alerts.error} retry={alerts.reload} />
        ) : (
          <Table
            items={items}
            loading={alerts.loading && !alerts.data}
            loadingText="Loading alerts"
            trackBy="id"
            wrapLines
            ariaLabels={{ tableLabel: 'Alerts' }}
            header={
              <Header counter={alerts.data ? `(${items.filter((a) => a.isActive).length} active)` : undefined} description={<LastScanned at={last} />}>
                Security alerts
              </Header>
            }
            columnDefinitions={[
              {
                id: 'name',
                header: 'Alert',
                isRowHeader: true,
                cell: (a) => (
                  <Link href={href(`/manage/alerts/${encodeURIComponent(a.id)}`)} onFollow={follow}>
                    {a.alertDefinition?.displayName ?? a.id}
                  </Link>
                ),
              },
              { id: 'severity', header: 'Severity', cell: (a) => <SeverityLabel level={a.alertDefinition?.severityLevel} /> },
              { id: 'incidents', header: 'Incidents', cell: (a) => a.incidentCount },
              { id: 'state', header: 'State', cell: (a) => <AlertState alert={a} /> },
              { id: 'scanned', header: 'Last scanned', cell: (a) => <Time value={a.lastScannedDateTime} empty="Not yet" /> },
            ]}
            empty={<Empty title="No alerts">The API listed no alerts.</Empty>}
          />
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}

function LastScanned({ at }: { at: string | null }) {
  if (!at) return <>Not scanned yet. Scans run every hour.</>;
  return (
    <>
      Last scanned <Time value={at} />. Scans run every hour.
    </>
  );
}
