/**
 * Alerts → Settings: each alert's settings in its own panel (enabled, and its thresholds in Entra's words),
 * saved one alert at a time. Limits are the API's to enforce: a refused value keeps what was typed and
 * shows the API's message beside the field it is about. Readers see the settings without Save.
 */
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useApp } from '../../app-context.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { bySeverity } from '../../domain/alerts.ts';
import { follow, href } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { listAlerts } from './alert-data.ts';
import { AlertSettingsPanel } from './alert-settings-panel.tsx';

export default function AlertSettingsPage(_: PageProps) {
  const { api, capabilities } = useApp();
  const alerts = useLoad(async () => (await listAlerts(api)).sort(bySeverity), 'alert-settings');

  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          onFollow={follow}
          ariaLabel="Breadcrumbs"
          items={[
            { text: 'Alerts', href: href('/manage/alerts') },
            { text: 'Settings', href: href('/manage/alerts/settings') },
          ]}
        />
      }
      header={
        <Header variant="h1" description="When each alert fires. A change is saved for that alert alone, and the alert is scanned again at once.">
          Alert settings
        </Header>
      }
    >
      {alerts.error ? (
        <LoadError error={alerts.error} retry={alerts.reload} />
      ) : (
        <SpaceBetween size="l">
          {(alerts.data ?? []).map((a) =>
            a.alertConfiguration && a.alertDefinition ? (
              <AlertSettingsPanel
                key={a.id}
                alertId={a.id}
                definition={a.alertDefinition}
                configuration={a.alertConfiguration}
                canEdit={capabilities['alerts.manage']}
              />
            ) : null,
          )}
        </SpaceBetween>
      )}
    </ContentLayout>
  );
}
