/**
 * One alert (the target of the alert emails, /manage/alerts/{alertId}): what it means, its security
 * impact, how to prevent it and the mitigation steps, then its incidents with Fix. Managers scan this
 * alert again or dismiss it (it stays dismissed until a scan finds an incident that was not there).
 */
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import { follow, href } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { alertPath, getAlert } from './alert-data.ts';
import { AlertState } from './alerts-page.tsx';
import { IncidentsTable } from './incidents-table.tsx';
import { SeverityLabel } from './severity.tsx';

export default function AlertPage({ params }: PageProps) {
  const { api, capabilities, notify, session } = useApp();
  const id = params.id!;
  const [round, setRound] = useState(0);
  const alert = useLoad(() => getAlert(api, id), `${id}|${round}`);
  const [busy, setBusy] = useState<'scan' | 'dismiss'>();
  const [error, setError] = useState<Error>();
  const manage = capabilities['alerts.manage'];
  const a = alert.data;
  const d = a?.alertDefinition;
  const name = d?.displayName ?? 'Alert';

  async function act(kind: 'scan' | 'dismiss') {
    setBusy(kind);
    setError(undefined);
    try {
      await api.post(`${alertPath(id)}/${kind === 'scan' ? 'refresh' : 'dismiss'}`);
      notify({
        type: 'success',
        content: kind === 'scan' ? 'Scan complete: the alert is up to date.' : 'Alert dismissed. It shows again if a scan finds a new incident.',
      });
      setRound((r) => r + 1);
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.pathname, e.maxAgeSeconds);
      setError(e as Error);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          onFollow={follow}
          ariaLabel="Breadcrumbs"
          items={[
            { text: 'Alerts', href: href('/manage/alerts') },
            { text: name, href: href(`/manage/alerts/${encodeURIComponent(id)}`) },
          ]}
        />
      }
      header={
        <Header
          variant="h1"
          description={d?.description}
          actions={
            manage &&
            a && (
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" loading={busy === 'scan'} onClick={() => void act('scan')}>
                  Scan
                </Button>
                <Button disabled={!a.isActive} loading={busy === 'dismiss'} onClick={() => void act('dismiss')}>
                  Dismiss
                </Button>
              </SpaceBetween>
            )
          }
        >
          {name}
        </Header>
      }
    >
      {alert.error ? (
        <LoadError error={alert.error} retry={alert.reload} />
      ) : (
        <SpaceBetween size="l">
          <ApiErrorAlert header="Refused" error={error} onDismiss={() => setError(undefined)} />
          <Container header={<Header variant="h2">Alert details</Header>}>
            {a && (
              <KeyValuePairs
                columns={4}
                items={[
                  { label: 'Severity', value: <SeverityLabel level={d?.severityLevel} /> },
                  { label: 'State', value: <AlertState alert={a} /> },
                  { label: 'Incidents', value: a.incidentCount },
                  { label: 'Last scanned', value: <Time value={a.lastScannedDateTime} empty="Not yet" /> },
                ]}
              />
            )}
          </Container>
          {d && (
            <Container
              header={
                <Header
                  variant="h2"
                  actions={
                    d.isConfigurable && (
                      <Link href={href('/manage/alerts/settings')} onFollow={follow}>
                        Alert settings
                      </Link>
                    )
                  }
                >
                  About this alert
                </Header>
              }
            >
              <SpaceBetween size="m">
                <Section title="Security impact" text={d.securityImpact} />
                <Section title="How to prevent" text={d.howToPrevent} />
                <Section title="Mitigation steps" text={d.mitigationSteps} />
              </SpaceBetween>
            </Container>
          )}
          {a && (
            <IncidentsTable key={round} alertId={id} alertName={name} canFix={manage && Boolean(d?.isRemediatable)} onFixed={() => setRound((r) => r + 1)} />
          )}
        </SpaceBetween>
      )}
    </ContentLayout>
  );
}

function Section({ title, text }: { title: string; text: string }) {
  return (
    <div>
      <Box variant="h3" margin={{ bottom: 'xxs' }}>
        {title}
      </Box>
      <Box variant="p">{text}</Box>
    </div>
  );
}
