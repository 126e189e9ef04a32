/**
 * One instance of an access review, at the path review emails link to (/reviews/{definition}/{instance}):
 * the items I decide, a server page at a time (reviews reach thousands of items), with the
 * recommendation and its reason; Approve / Deny / Don't know for the selected items or for all of them
 * (batchRecordDecisions), and Accept recommendations. Opening it changes nothing.
 */
import Alert from '@cloudscape-design/components/alert';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import {
  acceptRecommendations,
  instancePath,
  loadDecisionPage,
  recordAll,
  recordMany,
  VERDICT_LABEL,
  type DecisionItem,
  type ReviewDefinition,
  type ReviewInstance,
} from '../../domain/reviews.ts';
import { REVIEWS } from '../../api/paths.ts';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { DecideModal } from './decide-modal.tsx';
import { ReviewStatus } from './review-access-page.tsx';

interface Page {
  items: DecisionItem[];
  next?: string;
}

export default function ReviewInstancePage({ params }: PageProps) {
  const { api, notify } = useApp();
  const { definitionId, instanceId } = params as { definitionId: string; instanceId: string };
  const { search } = useLocation();
  const show = search.get('show') === 'all' ? 'all' : 'open';
  const head = useLoad(async () => {
    const [definition, instance] = await Promise.all([
      api.get<ReviewDefinition>(`${REVIEWS}/${encodeURIComponent(definitionId)}`),
      api.get<ReviewInstance>(instancePath(definitionId, instanceId)),
    ]);
    return { definition, instance };
  }, `${definitionId}/${instanceId}`);

  // Server pages read so far; the link to the next one comes from the last. A reload starts over.
  const [pages, setPages] = useState<Page[]>([]);
  const [index, setIndex] = useState(0);
  const [round, setRound] = useState(0);
  const items = useLoad(async () => {
    const known = pages[index];
    if (known) return known;
    const page = await loadDecisionPage(
      api,
      definitionId,
      instanceId,
      index > 0 ? pages[index - 1]?.next : undefined,
      show === 'open' ? "decision eq 'NotReviewed'" : undefined,
    );
    const loaded = { items: page.value, next: page['@odata.nextLink'] };
    setPages((p) => Object.assign([...p], { [index]: loaded }));
    return loaded;
  }, `${definitionId}/${instanceId}/${show}/${index}/${round}`);
  const [selected, setSelected] = useState<DecisionItem[]>([]);
  const [modal, setModal] = useState<'selected' | 'all'>();
  const [outcome, setOutcome] = useState<{ type: 'success' | 'warning'; text: string; failures?: string[] }>();
  const [accepting, setAccepting] = useState(false);

  function restart() {
    setPages([]);
    setIndex(0);
    setSelected([]);
    setRound((r) => r + 1);
  }

  async function decide(decision: 'Approve' | 'Deny' | 'DontKnow', justification: string) {
    if (modal === 'all') {
      const n = await recordAll(api, definitionId, instanceId, decision, justification);
      setOutcome({ type: 'success', text: `${VERDICT_LABEL[decision]}: recorded for ${n} item${n === 1 ? '' : 's'}.` });
    } else {
      const results = await recordMany(api, definitionId, instanceId, selected, decision, justification);
      const failed = results.filter((r) => r.error);
      setOutcome({
        type: failed.length ? 'warning' : 'success',
        text: `${VERDICT_LABEL[decision]}: recorded for ${results.length - failed.length} of ${results.length} item${results.length === 1 ? '' : 's'}.`,
        failures: failed.map(
          (f) => `${f.item.principal.displayName ?? f.item.principal.id} — ${f.item.resource.displayName ?? f.item.resource.id}: ${f.error}`,
        ),
      });
    }
    setModal(undefined);
    restart();
  }

  async function accept() {
    setAccepting(true);
    try {
      await acceptRecommendations(api, definitionId, instanceId);
      notify({ type: 'success', header: 'Recommendations accepted', content: 'Every item you had not decided now has its recommendation.' });
      restart();
    } catch (e) {
      notify({ type: 'error', header: 'Could not accept the recommendations', content: (e as Error).message });
    } finally {
      setAccepting(false);
    }
  }

  if (head.error) return <LoadError error={head.error} retry={head.reload} />;
  const definition = head.data?.definition;
  const instance = head.data?.instance;
  const open = instance?.status === 'InProgress';
  const page = pages[index];
  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          onFollow={follow}
          ariaLabel="Breadcrumbs"
          items={[
            { text: 'Review access', href: href('/review-access') },
            { text: definition?.displayName ?? 'Review', href: href(`/reviews/${definitionId}/${instanceId}`) },
          ]}
        />
      }
      header={
        <Header variant="h1" description={definition?.descriptionForReviewers || undefined}>
          {definition?.displayName ?? 'Access review'}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Container header={<Header variant="h2">Review details</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Status', value: instance ? <ReviewStatus status={instance.status} /> : '…' },
              { label: 'Start', value: <Time value={instance?.startDateTime} empty="…" /> },
              { label: 'Due', value: <Time value={instance?.endDateTime} empty="…" /> },
              { label: 'Reason required on approval', value: definition ? (definition.settings.justificationRequiredOnApproval ? 'Yes' : 'No') : '…' },
            ]}
          />
        </Container>
        {!open && instance && <Alert type="info">This review has ended; its decisions can no longer be changed.</Alert>}
        {outcome && (
          <Alert type={outcome.type} dismissible onDismiss={() => setOutcome(undefined)}>
            {outcome.text}
            {outcome.failures && outcome.failures.length > 0 && (
              <ul>
                {outcome.failures.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        {items.error ? (
          <LoadError error={items.error} retry={restart} />
        ) : (
          <Table
            items={page?.items ?? []}
            loading={items.loading}
            loadingText="Loading the items you review"
            trackBy="id"
            wrapLines
            selectionType={open ? 'multi' : undefined}
            selectedItems={selected}
            onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
            ariaLabels={{
              selectionGroupLabel: 'Items to decide',
              allItemsSelectionLabel: () => 'Select every item on this page',
              itemSelectionLabel: (_, d) => `Select ${d.principal.displayName ?? d.principal.id} for ${d.resource.displayName ?? d.resource.id}`,
            }}
            empty={
              <Empty title={show === 'open' ? 'Nothing left to decide' : 'No items'}>
                {show === 'open' ? 'Every item you review has a decision.' : 'This review has no items for you.'}
              </Empty>
            }
            header={
              <Header
                variant="h2"
                counter={selected.length ? `(${selected.length} selected)` : undefined}
                actions={
                  <SpaceBetween direction="horizontal" size="xs">
                    <SegmentedControl
                      selectedId={show}
                      label="Items to show"
                      onChange={(e) => {
                        navigate(`/reviews/${definitionId}/${instanceId}${e.detail.selectedId === 'all' ? '?show=all' : ''}`, { replace: true });
                        setPages([]);
                        setIndex(0);
                        setSelected([]);
                      }}
                      options={[
                        { id: 'open', text: 'Not reviewed' },
                        { id: 'all', text: 'All' },
                      ]}
                    />
                    <Button disabled={!open} loading={accepting} onClick={() => void accept()}>
                      Accept recommendations
                    </Button>
                    <Button disabled={!open} onClick={() => setModal('all')}>
                      Review all
                    </Button>
                    <Button variant="primary" disabled={!open || selected.length === 0} onClick={() => setModal('selected')}>
                      Review selected
                    </Button>
                  </SpaceBetween>
                }
              >
                Items to review
              </Header>
            }
            pagination={
              <Pagination
                currentPageIndex={index + 1}
                pagesCount={pages.length || 1}
                openEnd={Boolean(page?.next)}
                onChange={(e) => {
                  setSelected([]);
                  setIndex(e.detail.currentPageIndex - 1);
                }}
                ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
              />
            }
            columnDefinitions={[
              {
                id: 'principal',
                header: 'User',
                isRowHeader: true,
                minWidth: 200,
                cell: (d) => `${d.principal.displayName ?? d.principal.id}${d.principal.userPrincipalName ? ` (${d.principal.userPrincipalName})` : ''}`,
              },
              {
                id: 'resource',
                header: 'Access',
                minWidth: 180,
                cell: (d) => `${d.resource.displayName ?? d.resource.id}${d['@stint.accessType'] ? ` · ${d['@stint.accessType']}` : ''}`,
              },
              {
                id: 'scope',
                header: 'Scope',
                cell: (d) => (!d['@stint.directoryScopeId'] || d['@stint.directoryScopeId'] === '/' ? 'Directory' : d['@stint.directoryScopeId']),
              },
              { id: 'recommendation', header: 'Recommendation', cell: (d) => VERDICT_LABEL[d.recommendation] ?? d.recommendation },
              { id: 'why', header: 'Reason for the recommendation', cell: (d) => d['@stint.recommendationReason'] ?? '—', minWidth: 260 },
              {
                id: 'decision',
                header: 'Decision',
                cell: (d) => `${VERDICT_LABEL[d.decision] ?? d.decision}${d.reviewedBy ? ` by ${d.reviewedBy.displayName ?? d.reviewedBy.id}` : ''}`,
              },
              { id: 'reason', header: 'Reason', cell: (d) => d.justification ?? '—', maxWidth: 240 },
              { id: 'activity', header: 'Last activity', cell: (d) => <Time value={d['@stint.lastActivityDateTime']} empty="None" /> },
            ]}
          />
        )}
        {modal && (
          <DecideModal
            what={modal === 'all' ? 'every item you review' : `${selected.length} selected item${selected.length === 1 ? '' : 's'}`}
            reasonRequiredOnApprove={Boolean(definition?.settings.justificationRequiredOnApproval)}
            onConfirm={decide}
            onDismiss={() => setModal(undefined)}
          />
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
