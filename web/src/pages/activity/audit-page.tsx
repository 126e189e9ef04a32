/**
 * Resource audit (everything, for auditors) and My audit (what I did, or what was done to me): filters
 * on time, activity, result, initiator and target; pages read from the server as you page; Download CSV
 * or JSON of exactly what is filtered, with progress; and whether the audit chains are intact.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import DateRangePicker, { type DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useRef, useState } from 'react';
import { AUDIT, query } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { useServerPages } from '../../components/server-pages.ts';
import { Time } from '../../components/time.tsx';
import { auditFilter, type AuditFilters } from '../../domain/audit-filter.ts';
import { exportAudit, saveBlob, type ExportProgress } from './export.ts';

interface AuditRecord {
  id: string;
  activityDisplayName: string;
  activityDateTime: string;
  result: string;
  resultReason: string;
  category: string;
  initiatedBy: { user: { id: string; displayName: string | null; userPrincipalName: string | null } | null; app: { displayName: string | null } | null };
  targetResources: { id: string; displayName: string | null; type: string; userPrincipalName?: string | null }[];
  additionalDetails: { key: string; value: string }[];
}

const PAGE_SIZE = 50;

function rangeToDates(range: DateRangePickerProps.Value | null): { from?: string; to?: string } {
  if (!range) return {};
  if (range.type === 'absolute') return { from: range.startDate, to: range.endDate };
  const unit = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 }[range.unit] ?? 86400;
  return { from: new Date(Date.now() - range.amount * unit * 1000).toISOString() };
}

function initiator(r: AuditRecord): string {
  return r.initiatedBy.user?.displayName ?? r.initiatedBy.user?.userPrincipalName ?? r.initiatedBy.app?.displayName ?? '—';
}

function detail(r: AuditRecord, key: string): string | undefined {
  return r.additionalDetails.find((d) => d.key.toLowerCase() === key.toLowerCase())?.value;
}

export function AuditView({ mode }: { mode: 'resource' | 'mine' }) {
  const { api, me, capabilities } = useApp();
  const [range, setRange] = useState<DateRangePickerProps.Value | null>({ type: 'relative', amount: 30, unit: 'day', key: 'last-30-days' });
  const [activity, setActivity] = useState('');
  const [result, setResult] = useState<AuditFilters['result']>('');
  const [initiatorText, setInitiatorText] = useState('');
  const [target, setTarget] = useState('');
  const [whose, setWhose] = useState<'by' | 'about'>('by');
  const [applied, setApplied] = useState<string | undefined>(() => auditFilter({ ...rangeToDates(range), ...(mode === 'mine' ? { initiatorId: me.id } : {}) }));
  const [filterError, setFilterError] = useState<string>();

  async function apply(nextWhose = whose) {
    setFilterError(undefined);
    let initiatorId: string | undefined;
    if (mode === 'mine') initiatorId = nextWhose === 'by' ? me.id : undefined;
    else if (initiatorText.trim()) {
      try {
        initiatorId = (await api.get<{ id: string }>(`/v1.0/users/${encodeURIComponent(initiatorText.trim())}?$select=id`)).id;
      } catch {
        return setFilterError(`No user '${initiatorText.trim()}'. Enter a user principal name or id.`);
      }
    }
    const targetId = mode === 'mine' && nextWhose === 'about' ? me.id : target;
    setApplied(auditFilter({ ...rangeToDates(range), activity, result, initiatorId, targetId }));
  }

  // A new filter starts again at its first page.
  const pages = useServerPages<AuditRecord>(api, `${AUDIT}${query({ $filter: applied, $top: PAGE_SIZE })}`);

  const [progress, setProgress] = useState<ExportProgress & { format: string }>();
  const [exportError, setExportError] = useState<string>();
  const abort = useRef<AbortController>(undefined);
  async function download(format: 'csv' | 'json') {
    abort.current = new AbortController();
    setExportError(undefined);
    setProgress({ records: 0, done: false, format });
    try {
      const blob = await exportAudit(api, format, applied, (p) => setProgress({ ...p, format }), abort.current.signal);
      saveBlob(blob, `stint-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.${format}`);
    } catch (error) {
      if ((error as Error).name !== 'AbortError') setExportError((error as Error).message);
    } finally {
      setProgress(undefined);
    }
  }

  const title = mode === 'resource' ? 'Resource audit' : 'My audit';
  const items = pages.items;
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={
            mode === 'resource' ? 'Every change to roles, assignments, settings and the directory.' : 'What you did, and what was done to your access.'
          }
          actions={
            <ButtonDropdown
              variant="primary"
              disabled={Boolean(progress)}
              onItemClick={(e) => void download(e.detail.id as 'csv' | 'json')}
              items={[
                { id: 'csv', text: 'Download CSV' },
                { id: 'json', text: 'Download JSON' },
              ]}
            >
              Download
            </ButtonDropdown>
          }
        >
          {title}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {mode === 'resource' && capabilities['audit.readAll'] && <ChainStatus />}
        {progress && (
          <SpaceBetween size="xs" direction="horizontal" alignItems="center">
            <ProgressBar
              label={`Preparing ${progress.format.toUpperCase()}`}
              description={`${progress.records} records${progress.reached ? `, back to ${new Date(progress.reached).toLocaleString()}` : ''}`}
              status="in-progress"
              value={progress.reached && rangeToDates(range).from ? estimate(progress.reached, rangeToDates(range).from!) : undefined}
              variant="standalone"
            />
            <Button onClick={() => abort.current?.abort()}>Cancel download</Button>
          </SpaceBetween>
        )}
        {exportError && (
          <Alert type="error" header="The download failed">
            {exportError}
          </Alert>
        )}
        <Container header={<Header variant="h2">Filters</Header>}>
          <SpaceBetween size="s">
            {mode === 'mine' && (
              <SegmentedControl
                label="Whose history"
                selectedId={whose}
                onChange={(e) => {
                  const next = e.detail.selectedId as 'by' | 'about';
                  setWhose(next);
                  void apply(next);
                }}
                options={[
                  { id: 'by', text: 'Done by me' },
                  { id: 'about', text: 'About me' },
                ]}
              />
            )}
            <ColumnLayout columns={4}>
              <FormField label="Time range">
                <DateRangePicker
                  value={range}
                  onChange={(e) => setRange(e.detail.value)}
                  relativeOptions={[
                    { key: 'last-24-hours', amount: 24, unit: 'hour', type: 'relative' },
                    { key: 'last-7-days', amount: 7, unit: 'day', type: 'relative' },
                    { key: 'last-30-days', amount: 30, unit: 'day', type: 'relative' },
                    { key: 'last-90-days', amount: 90, unit: 'day', type: 'relative' },
                  ]}
                  isValidRange={(r) =>
                    r?.type === 'absolute' && (!r.startDate || !r.endDate) ? { valid: false, errorMessage: 'Choose a start and an end.' } : { valid: true }
                  }
                  placeholder="Any time"
                  i18nStrings={{
                    todayAriaLabel: 'Today',
                    nextMonthAriaLabel: 'Next month',
                    previousMonthAriaLabel: 'Previous month',
                    clearButtonLabel: 'Clear',
                    applyButtonLabel: 'Apply',
                    cancelButtonLabel: 'Cancel',
                    relativeModeTitle: 'Relative range',
                    absoluteModeTitle: 'Absolute range',
                    relativeRangeSelectionHeading: 'Choose a range',
                    customRelativeRangeOptionLabel: 'Custom range',
                    customRelativeRangeOptionDescription: 'Set a custom range in the past',
                    customRelativeRangeUnitLabel: 'Unit of time',
                    customRelativeRangeDurationLabel: 'Duration',
                    formatRelativeRange: (r) => `Last ${r.amount} ${r.unit}${r.amount === 1 ? '' : 's'}`,
                    formatUnit: (u, n) => (n === 1 ? u : `${u}s`),
                    dateTimeConstraintText: 'Range must be between 1 minute and 1 year.',
                    modeSelectionLabel: 'Date range mode',
                    startDateLabel: 'Start date',
                    endDateLabel: 'End date',
                    startTimeLabel: 'Start time',
                    endTimeLabel: 'End time',
                  }}
                />
              </FormField>
              <FormField label="Activity starts with">
                <Input value={activity} onChange={(e) => setActivity(e.detail.value)} placeholder="e.g. Add member to role" />
              </FormField>
              <FormField label="Result">
                <Select
                  selectedOption={{ value: result ?? '', label: result ? (result === 'success' ? 'Success' : 'Failure') : 'Any' }}
                  onChange={(e) => setResult(e.detail.selectedOption.value as AuditFilters['result'])}
                  options={[
                    { value: '', label: 'Any' },
                    { value: 'success', label: 'Success' },
                    { value: 'failure', label: 'Failure' },
                  ]}
                />
              </FormField>
              {mode === 'resource' ? (
                <FormField label="Initiated by (UPN or id)" errorText={filterError}>
                  <Input value={initiatorText} onChange={(e) => setInitiatorText(e.detail.value)} placeholder="someone@contoso.test" />
                </FormField>
              ) : (
                <div />
              )}
            </ColumnLayout>
            <SpaceBetween direction="horizontal" size="s" alignItems="end">
              {mode === 'resource' && (
                <FormField label="Target id">
                  <Input value={target} onChange={(e) => setTarget(e.detail.value)} placeholder="A user, group, role or request id" />
                </FormField>
              )}
              <Button onClick={() => void apply()}>Apply filters</Button>
            </SpaceBetween>
          </SpaceBetween>
        </Container>
        <Table
          items={items}
          loading={pages.loading}
          loadingText="Loading audit records"
          trackBy="id"
          wrapLines
          ariaLabels={{ tableLabel: title }}
          header={<Header counter={pages.loading ? undefined : `(${items.length}${pages.hasMore ? '+' : ''})`}>Audit records</Header>}
          pagination={
            <Pagination
              currentPageIndex={pages.pageIndex}
              pagesCount={pages.pagesCount}
              openEnd={pages.hasMore}
              onChange={(e) => pages.goTo(e.detail.currentPageIndex)}
              ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
            />
          }
          empty={pages.error ? <LoadError error={pages.error} retry={pages.reload} /> : <Empty title="No audit records">Nothing matches these filters.</Empty>}
          columnDefinitions={[
            { id: 'time', header: 'Date', cell: (r) => <Time value={r.activityDateTime} /> },
            { id: 'activity', header: 'Activity', isRowHeader: true, cell: (r) => r.activityDisplayName },
            { id: 'initiator', header: 'Initiated by', cell: initiator },
            { id: 'target', header: 'Target', cell: (r) => r.targetResources.map((t) => t.displayName ?? t.userPrincipalName ?? t.id).join(', ') || '—' },
            {
              id: 'result',
              header: 'Result',
              minWidth: 120,
              cell: (r) => (
                <StatusIndicator type={r.result === 'success' ? 'success' : 'error'}>
                  {r.result === 'success' ? 'Success' : `Failure${r.resultReason ? `: ${r.resultReason}` : ''}`}
                </StatusIndicator>
              ),
            },
            {
              id: 'details',
              header: 'Reason and ticket',
              cell: (r) => {
                const reason = detail(r, 'Justification') ?? detail(r, 'justification');
                const ticket = detail(r, 'TicketNumber') ?? detail(r, 'ticketNumber');
                return reason || ticket ? (
                  <ExpandableSection headerText={reason ? reason.slice(0, 40) : `Ticket ${ticket}`} variant="footer">
                    <Box>{reason}</Box>
                    {ticket && <Box variant="small">Ticket: {ticket}</Box>}
                  </ExpandableSection>
                ) : (
                  '—'
                );
              },
            },
          ]}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}

function estimate(reached: string, from: string): number {
  const total = Date.now() - Date.parse(from);
  const done = Date.now() - Date.parse(reached);
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** The audit chains' verification, on demand: each object's records are hash-chained. */
function ChainStatus() {
  const { api } = useApp();
  const [run, setRun] = useState(0);
  const data = useLoad(
    async () =>
      run === 0 ? undefined : api.get<{ intact: boolean; value: { chainId: string; firstFinding: { detail: string } | null }[] }>(`${AUDIT}/verify?$top=100`),
    String(run),
  );
  return (
    <Box>
      <SpaceBetween direction="horizontal" size="s" alignItems="center">
        <Box variant="strong">Chain verification</Box>
        {run === 0 ? (
          <StatusIndicator type="info">Not checked yet</StatusIndicator>
        ) : data.loading ? (
          <StatusIndicator type="loading">Checking</StatusIndicator>
        ) : data.error ? (
          <StatusIndicator type="error">{data.error.message}</StatusIndicator>
        ) : data.data?.intact ? (
          <StatusIndicator type="success">Intact: {data.data.value.length} chains checked, nothing changed, deleted or reordered</StatusIndicator>
        ) : (
          <StatusIndicator type="error">
            Tampering found:{' '}
            {data.data?.value
              .filter((c) => c.firstFinding)
              .map((c) => `${c.chainId}: ${c.firstFinding!.detail}`)
              .join('; ')}
          </StatusIndicator>
        )}
        <Button onClick={() => setRun((r) => r + 1)} loading={data.loading && run > 0}>
          Verify now
        </Button>
      </SpaceBetween>
    </Box>
  );
}
