/**
 * One request, at its own URL (the link in every email): what was asked, by whom, why, its approval
 * steps (who decided, when, why), and what I can do with it: approve or deny when a step waits for me,
 * cancel when it is mine and still waiting. Opening it changes nothing; acting is a signed-in click.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { ApiError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { RequestStatus } from '../../components/request-status.tsx';
import { Time } from '../../components/time.tsx';
import { decide, loadApproval, type ApprovalStep } from '../../domain/approvals.ts';
import { ACTION_LABEL, ALL_COLLECTIONS, CANCELLABLE, findRequest, type RequestRow } from '../../domain/requests.ts';
import { follow, href } from '../../router.tsx';
import type { PageProps } from '../index.ts';

interface Loaded {
  request: RequestRow;
  steps: ApprovalStep[];
}

export default function RequestPage({ params }: PageProps) {
  const { api, me, notify } = useApp();
  const id = params.id!;
  const data = useLoad<Loaded>(async () => {
    const request = await findRequest(api, id);
    const hasApproval = Boolean(request.approvalId) || request.status === 'PendingApproval';
    const steps = hasApproval
      ? await loadApproval(api, request.kind, request.approvalId ?? request.id).catch((e: unknown) => {
          if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return [];
          throw e;
        })
      : [];
    return { request, steps };
  }, id);
  const [justification, setJustification] = useState('');
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();

  if (data.error) return <LoadError error={data.error} retry={data.reload} />;
  const r = data.data?.request;
  const steps = data.data?.steps ?? [];
  const waiting = steps.find((s) => s.assignedToMe);

  async function act(kind: 'Approve' | 'Deny') {
    if (!r || !waiting) return;
    if (!justification.trim()) return setError('Give a justification for your decision.');
    setBusy(kind);
    setError(undefined);
    try {
      await decide(api, r.kind, r.approvalId ?? r.id, waiting.id, kind, justification.trim());
      notify({ type: 'success', header: kind === 'Approve' ? 'Approved' : 'Denied', content: `${r.principal?.displayName ?? 'The requester'}: ${r.target}` });
      setJustification('');
      data.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  async function cancel() {
    if (!r) return;
    setBusy('cancel');
    try {
      const c = ALL_COLLECTIONS.find((c) => c.kind === r.kind && c.level === r.level)!;
      await api.post(`${c.path}/${encodeURIComponent(r.id)}/cancel`);
      notify({ type: 'success', header: 'Request cancelled', content: r.target });
      data.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  const expiration = r?.scheduleInfo?.expiration;
  const title = r ? `${ACTION_LABEL[r.action] ?? r.action}: ${r.target}` : 'Request';
  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          onFollow={follow}
          items={[
            // An approver arrives from their queue (or its email), a requester from their own list.
            r && r.principalId !== me.id ? { text: 'Approve requests', href: href('/approve-requests') } : { text: 'My requests', href: href('/my-requests') },
            { text: r ? r.target : id, href: href(`/requests/${id}`) },
          ]}
          ariaLabel="Breadcrumbs"
        />
      }
      header={
        <Header
          variant="h1"
          description={r ? <RequestStatus status={r.status} /> : undefined}
          actions={
            r && r.principalId === me.id && CANCELLABLE.has(r.status) ? (
              <Button loading={busy === 'cancel'} onClick={() => void cancel()}>
                Cancel request
              </Button>
            ) : undefined
          }
        >
          {title}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error && <Alert type="error">{error}</Alert>}
        {r?.awsAccess?.failureReason && (
          <Alert type="error" header="IAM Identity Center did not complete this request">
            {r.awsAccess.failureReason}
          </Alert>
        )}
        <Container header={<Header variant="h2">Details</Header>}>
          {!r ? (
            <Box>Loading…</Box>
          ) : (
            <KeyValuePairs
              columns={3}
              items={[
                { label: r.kind === 'groups' ? 'Group' : r.kind === 'aws' ? 'AWS role' : 'Role', value: r.target },
                {
                  label: 'Scope',
                  value: r.kind === 'groups' ? (r.group?.displayName ?? r.groupId) : r.directoryScopeId === '/' ? 'Directory' : r.directoryScopeId,
                },
                {
                  label: 'For',
                  value: r.principal
                    ? `${r.principal.displayName ?? ''}${r.principal.userPrincipalName ? ` (${r.principal.userPrincipalName})` : ''}`
                    : r.principalId,
                },
                { label: 'Requested by', value: r.createdBy?.user?.displayName ?? r.createdBy?.user?.id ?? '—' },
                { label: 'Requested', value: <Time value={r.createdDateTime} /> },
                { label: 'Request status', value: <RequestStatus status={r.status} /> },
                { label: 'Reason', value: r.justification || '—' },
                {
                  label: 'Ticket',
                  value: r.ticketInfo?.ticketNumber ? `${r.ticketInfo.ticketNumber}${r.ticketInfo.ticketSystem ? ` (${r.ticketInfo.ticketSystem})` : ''}` : '—',
                },
                { label: 'Assignment type', value: r.level === 'eligibility' ? 'Eligible' : 'Active' },
                { label: 'Starts', value: r.scheduleInfo?.startDateTime ? <Time value={r.scheduleInfo.startDateTime} /> : 'When approved, or at once' },
                {
                  label: 'Ends',
                  value: expiration?.endDateTime ? (
                    <Time value={expiration.endDateTime} />
                  ) : expiration?.duration ? (
                    `${expiration.duration.replace(/^PT?/, '').toLowerCase()} after the start`
                  ) : (
                    'Permanent'
                  ),
                },
                { label: 'Completed', value: <Time value={r.completedDateTime} empty="—" /> },
              ]}
            />
          )}
        </Container>
        {steps.length > 0 && (
          <Table
            header={
              <Header variant="h2" description="The first approver to act decides for a stage; everyone is told.">
                Approval
              </Header>
            }
            items={steps}
            trackBy="id"
            variant="container"
            columnDefinitions={[
              { id: 'stage', header: 'Stage', isRowHeader: true, cell: (s) => s.displayName ?? `Stage ${steps.indexOf(s) + 1}` },
              {
                id: 'status',
                header: 'Status',
                cell: (s) =>
                  s.status === 'Expired'
                    ? 'Timed out'
                    : s.status === 'InProgress'
                      ? 'Waiting for approvers'
                      : s.status === 'Initializing'
                        ? 'Not started'
                        : 'Completed',
              },
              { id: 'result', header: 'Result', cell: (s) => (s.reviewResult === 'NotReviewed' ? '—' : s.reviewResult) },
              { id: 'by', header: 'Decided by', cell: (s) => s.reviewedBy?.map((p) => p.displayName ?? p.id).join(', ') ?? '—' },
              { id: 'when', header: 'When', cell: (s) => <Time value={s.reviewedDateTime} empty="—" /> },
              { id: 'why', header: 'Justification', cell: (s) => s.justification ?? '—' },
            ]}
          />
        )}
        {waiting && r && (
          <Container
            header={
              <Header variant="h2" description="Your decision is recorded with your name and justification.">
                Approve or deny
              </Header>
            }
          >
            <SpaceBetween size="m">
              <FormField label="Justification">
                <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} rows={3} />
              </FormField>
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="primary" loading={busy === 'Approve'} onClick={() => void act('Approve')}>
                  Approve
                </Button>
                <Button loading={busy === 'Deny'} onClick={() => void act('Deny')}>
                  Deny
                </Button>
              </SpaceBetween>
            </SpaceBetween>
          </Container>
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}
