/**
 * One access review: its settings, its instances (Stop one, Stop the review for good), and for a chosen
 * instance the results: every item with its decision, reviewer, recommendation and what applying did;
 * Apply when the instance has ended and results were not applied automatically.
 */
import Alert from '@cloudscape-design/components/alert';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { query, REVIEWS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { useServerPages } from '../../components/server-pages.ts';
import { Time } from '../../components/time.tsx';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { recurrenceText, reviewStatus } from './reviews-page.tsx';

interface Definition {
  id: string;
  displayName: string;
  descriptionForAdmins: string;
  status: string;
  createdDateTime: string;
  scope: Record<string, unknown>;
  reviewers: { query?: string }[];
  settings: Record<string, unknown> & { recurrence?: { pattern?: { type: string; interval: number } | null } | null };
}

interface Instance {
  id: string;
  startDateTime: string;
  endDateTime: string;
  status: string;
}

interface Decision {
  id: string;
  decision: string;
  justification: string | null;
  recommendation: string;
  applyResult: string;
  reviewedBy: { displayName: string | null } | null;
  reviewedDateTime: string | null;
  principal: { displayName?: string; userPrincipalName?: string; id?: string };
  resource: { displayName?: string; id?: string };
}

const DECISION_PAGE = 100;

export default function ReviewPage({ params }: PageProps) {
  const { api, notify, capabilities } = useApp();
  const location = useLocation();
  const id = params.id!;
  const base = `${REVIEWS}/${encodeURIComponent(id)}`;
  const [round, setRound] = useState(0);
  const data = useLoad(async () => {
    const [definition, instances] = await Promise.all([api.get<Definition>(base), api.all<Instance>(`${base}/instances`)]);
    return { definition, instances: instances.sort((a, b) => b.startDateTime.localeCompare(a.startDateTime)) };
  }, `${id}|${round}`);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const chosen = location.search.get('instance') ?? data.data?.instances[0]?.id;
  const manage = capabilities['accessReviews.manage'];

  async function act(key: string, path: string, done: string) {
    setBusy(key);
    setError(undefined);
    try {
      await api.post(path);
      notify({ type: 'success', content: done });
      setRound((r) => r + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  if (data.error) return <LoadError error={data.error} retry={data.reload} />;
  const d = data.data?.definition;
  const instance = data.data?.instances.find((i) => i.id === chosen);
  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          onFollow={follow}
          ariaLabel="Breadcrumbs"
          items={[
            { text: 'Access reviews', href: href('/manage/access-reviews') },
            { text: d?.displayName ?? id, href: href(`/manage/access-reviews/${id}`) },
          ]}
        />
      }
      header={
        <Header
          variant="h1"
          description={d ? reviewStatus(d.status) : undefined}
          actions={
            manage &&
            d &&
            !['Completed', 'Stopped'].includes(d.status) && (
              <Button loading={busy === 'stop'} onClick={() => void act('stop', `${base}/stop`, 'The review is stopped: no further instances will start.')}>
                Stop review
              </Button>
            )
          }
        >
          {d?.displayName ?? 'Access review'}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error && <Alert type="error">{error}</Alert>}
        {d && (
          <Container header={<Header variant="h2">Settings</Header>}>
            <KeyValuePairs
              columns={3}
              items={[
                { label: 'Reviewing', value: describeScope(d.scope) },
                { label: 'Reviewers', value: d.reviewers.length ? d.reviewers.map((r) => r.query).join(', ') : 'Members (self)' },
                { label: 'Recurrence', value: recurrenceText(d.settings.recurrence?.pattern) },
                { label: 'Duration (days)', value: String(d.settings.instanceDurationInDays ?? '—') },
                { label: 'Auto apply results', value: d.settings.autoApplyDecisionsEnabled ? 'Yes' : 'No' },
                { label: 'If reviewers don\u2019t respond', value: d.settings.defaultDecisionEnabled ? String(d.settings.defaultDecision) : 'No change' },
                {
                  label: 'Recommendations',
                  value: d.settings.recommendationsEnabled ? `Yes (${String(d.settings.recommendationLookBackDuration ?? 'P30D')})` : 'No',
                },
                { label: 'Require reason on approval', value: d.settings.justificationRequiredOnApproval ? 'Yes' : 'No' },
                { label: 'Created', value: <Time value={d.createdDateTime} /> },
              ]}
            />
          </Container>
        )}
        <Table
          items={data.data?.instances ?? []}
          loading={data.loading && !data.data}
          trackBy="id"
          variant="container"
          selectionType="single"
          selectedItems={instance ? [instance] : []}
          onSelectionChange={(e) => navigate(`/manage/access-reviews/${id}?instance=${e.detail.selectedItems[0]!.id}`, { replace: true })}
          ariaLabels={{
            tableLabel: 'Instances',
            itemSelectionLabel: (_, i) => `Show results of the instance starting ${i.startDateTime}`,
            selectionGroupLabel: 'Instances',
          }}
          header={
            <Header variant="h2" description="Each run of the review. Choose one to see its results.">
              Instances
            </Header>
          }
          empty={<Empty title="No instances yet">The first starts on the review's start date (the review job runs every few minutes).</Empty>}
          columnDefinitions={[
            { id: 'start', header: 'Start', isRowHeader: true, cell: (i) => <Time value={i.startDateTime} /> },
            { id: 'end', header: 'End', cell: (i) => <Time value={i.endDateTime} /> },
            { id: 'status', header: 'Status', cell: (i) => reviewStatus(i.status) },
            {
              id: 'actions',
              header: 'Actions',
              cell: (i) =>
                !manage ? null : i.status === 'InProgress' ? (
                  <Button
                    variant="inline-link"
                    loading={busy === `stop-${i.id}`}
                    onClick={() => void act(`stop-${i.id}`, `${base}/instances/${i.id}/stop`, 'The instance is stopped; its results are final.')}
                  >
                    Stop
                  </Button>
                ) : i.status === 'Completed' ? (
                  <Button
                    variant="inline-link"
                    loading={busy === `apply-${i.id}`}
                    onClick={() =>
                      void act(`apply-${i.id}`, `${base}/instances/${i.id}/applyDecisions`, 'Applying the results: denied access is being removed.')
                    }
                  >
                    Apply
                  </Button>
                ) : null,
            },
          ]}
        />
        {instance && <Results base={`${base}/instances/${encodeURIComponent(instance.id)}`} key={`${instance.id}|${round}`} />}
      </SpaceBetween>
    </ContentLayout>
  );
}

function describeScope(scope: Record<string, unknown>): string {
  const resources = (scope.resourceScopes as { query: string }[] | undefined)?.map((r) => r.query.split('/').pop()).join(', ');
  if (resources) return `Roles ${resources}`;
  return String(scope.query ?? '—');
}

function Results({ base }: { base: string }) {
  const { api } = useApp();
  const pages = useServerPages<Decision>(api, `${base}/decisions${query({ $top: DECISION_PAGE })}`);
  return (
    <Table
      items={pages.items}
      loading={pages.loading}
      loadingText="Loading results"
      trackBy="id"
      variant="container"
      wrapLines
      ariaLabels={{ tableLabel: 'Results' }}
      header={<Header variant="h2">Results</Header>}
      empty={pages.error ? <LoadError error={pages.error} retry={pages.reload} /> : <Empty title="No items">Nothing was in scope for this instance.</Empty>}
      pagination={
        <Pagination
          currentPageIndex={pages.pageIndex}
          pagesCount={pages.pagesCount}
          openEnd={pages.hasMore}
          onChange={(e) => pages.goTo(e.detail.currentPageIndex)}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
      columnDefinitions={[
        {
          id: 'who',
          header: 'Principal',
          isRowHeader: true,
          cell: (x) => `${x.principal.displayName ?? x.principal.id}${x.principal.userPrincipalName ? ` (${x.principal.userPrincipalName})` : ''}`,
        },
        { id: 'what', header: 'Access', cell: (x) => x.resource.displayName ?? x.resource.id },
        {
          id: 'decision',
          header: 'Decision',
          cell: (x) => (x.decision === 'NotReviewed' ? 'Not reviewed' : x.decision === 'DontKnow' ? 'Don\u2019t know' : x.decision),
        },
        { id: 'reviewer', header: 'Reviewed by', cell: (x) => x.reviewedBy?.displayName ?? '—' },
        { id: 'when', header: 'When', cell: (x) => <Time value={x.reviewedDateTime} empty="—" /> },
        { id: 'why', header: 'Reason', cell: (x) => x.justification ?? '—' },
        { id: 'recommendation', header: 'Recommendation', cell: (x) => x.recommendation },
        { id: 'applied', header: 'Apply result', cell: (x) => x.applyResult },
      ]}
    />
  );
}
