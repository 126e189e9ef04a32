/**
 * Edit settings for several roles: the form starts from the first role's settings; the fields the person
 * changes (and only those) are written onto each role's own settings. The review lists each role's
 * change old → new; Update saves role by role and reports each role's result, refusals verbatim.
 */
import Alert from '@cloudscape-design/components/alert';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { ROLE_DEFINITIONS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import {
  applyFields,
  changedRules,
  diffSettings,
  settingsErrors,
  settingsFromRules,
  type FieldChange,
  type Settings,
  type SettingsTab,
} from '../../domain/role-settings.ts';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { loadRolePolicies, saveRules, type LoadedPolicy, type RuleResult } from './policy-data.ts';
import { Refusal, ReviewChanges } from './review-changes.tsx';
import { settingsTab } from './role-setting-page.tsx';
import { SettingsTabs } from './settings-tabs.tsx';

interface Target {
  id: string;
  displayName: string;
  policy: LoadedPolicy;
  settings: Settings;
}

interface Outcome {
  state: 'saved' | 'failed' | 'unchanged';
  results: RuleResult[];
}

async function loadTargets(api: ReturnType<typeof useApp>['api'], ids: string[]): Promise<{ targets: Target[]; missing: string[] }> {
  const [roles, policies] = await Promise.all([api.all<{ id: string; displayName: string }>(`${ROLE_DEFINITIONS}`), loadRolePolicies(api)]);
  const targets: Target[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const role = roles.find((r) => r.id === id);
    const policy = policies.get(id);
    if (!role || !policy) missing.push(id);
    else targets.push({ id, displayName: role.displayName, policy, settings: settingsFromRules(policy.rules) });
  }
  return { targets, missing };
}

export default function BulkEditPage(_: PageProps) {
  const { api, session, notify } = useApp();
  const location = useLocation();
  const ids = (location.search.get('roles') ?? '').split(',').filter(Boolean);
  const data = useLoad(() => loadTargets(api, ids), ids.join(','));
  const [draft, setDraft] = useState<Settings>();
  const [mode, setMode] = useState<'edit' | 'review' | 'done'>('edit');
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [busy, setBusy] = useState(false);
  const tab = settingsTab(location.search);
  const setTab = (t: SettingsTab) => {
    const params = new URLSearchParams(location.search);
    params.set('settings', t);
    navigate(`/manage/role-settings/bulk?${params.toString()}`, { replace: true });
  };

  const targets = data.data?.targets ?? [];
  const start = targets[0]?.settings;
  const form = draft ?? start;
  const edited: FieldChange[] = start && form ? diffSettings(start, form) : [];
  const keys = edited.map((c) => c.key);
  const perRole = targets.map((t) => {
    const next = form ? applyFields(t.settings, form, keys) : t.settings;
    return { target: t, next, changes: diffSettings(t.settings, next) };
  });
  const errors = form ? settingsErrors(form) : {};

  async function update() {
    setBusy(true);
    const result: Record<string, Outcome> = {};
    try {
      for (const { target, next, changes } of perRole) {
        if (changes.length === 0) {
          result[target.id] = { state: 'unchanged', results: [] };
          continue;
        }
        const results = await saveRules(api, target.policy.policyId, changedRules(target.policy.rules, next));
        result[target.id] = { state: results.some((r) => r.error) ? 'failed' : 'saved', results };
        setOutcomes({ ...result });
      }
      const saved = Object.values(result).filter((o) => o.state === 'saved').length;
      notify({ type: saved === perRole.length ? 'success' : 'warning', header: 'Settings updated', content: `${saved} of ${perRole.length} roles saved.` });
      setMode('done');
    } catch (error) {
      if (error instanceof StepUpRequired) {
        notify({ type: 'info', header: 'Sign in with MFA', content: 'Changing role settings needs a recent MFA sign-in. Roles already saved stay saved.' });
        await session.stepUp(href(`/manage/role-settings/bulk?${location.search.toString()}`), error.maxAgeSeconds);
        return;
      }
      throw error;
    } finally {
      setOutcomes({ ...result });
      setBusy(false);
    }
  }

  const names = targets.map((t) => t.displayName).join(', ');
  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          items={[
            { text: 'Role settings', href: href('/manage/role-settings') },
            { text: `Edit settings for ${ids.length} roles`, href: href(`/manage/role-settings/bulk?roles=${ids.join(',')}`) },
          ]}
          onFollow={follow}
          ariaLabel="Breadcrumbs"
        />
      }
      header={
        <Header
          variant="h1"
          description="Change a setting once; it is applied to every role below. Settings you leave alone keep each role's own value."
          actions={
            mode === 'edit' ? (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="link" onClick={() => navigate('/manage/role-settings')}>
                  Cancel
                </Button>
                <Button variant="primary" disabled={edited.length === 0 || Object.keys(errors).length > 0} onClick={() => setMode('review')}>
                  Next: Review changes
                </Button>
              </SpaceBetween>
            ) : mode === 'review' ? (
              <SpaceBetween direction="horizontal" size="xs">
                <Button onClick={() => setMode('edit')} disabled={busy}>
                  Back to edit
                </Button>
                <Button variant="primary" loading={busy} onClick={() => void update()}>
                  Update {perRole.filter((r) => r.changes.length).length} roles
                </Button>
              </SpaceBetween>
            ) : (
              <Button onClick={() => navigate('/manage/role-settings')}>Back to Role settings</Button>
            )
          }
        >
          Edit settings for {ids.length} roles
        </Header>
      }
    >
      {data.error ? (
        <LoadError error={data.error} retry={data.reload} />
      ) : !data.data ? (
        <StatusIndicator type="loading">Loading the roles' settings</StatusIndicator>
      ) : targets.length === 0 ? (
        <Empty title="No roles selected">Select roles on the Role settings page.</Empty>
      ) : (
        <SpaceBetween size="l">
          {data.data.missing.length > 0 && <Alert type="warning">No role or policy found for: {data.data.missing.join(', ')}. They are left out.</Alert>}
          {mode === 'edit' && form && (
            <SpaceBetween size="l">
              <Alert type="info">
                The form shows the settings of {targets[0]!.displayName}. Roles: {names}.
              </Alert>
              <SettingsTabs value={form} onChange={setDraft} errors={errors} tab={tab} onTab={setTab} />
              <Container header={<Header variant="h2">Changes to apply to every role</Header>}>
                <ReviewChanges changes={edited} />
              </Container>
            </SpaceBetween>
          )}
          {mode !== 'edit' &&
            perRole.map(({ target, changes }) => {
              const outcome = outcomes[target.id];
              return (
                <Container
                  key={target.id}
                  header={
                    <Header
                      variant="h2"
                      actions={
                        outcome ? (
                          <StatusIndicator type={outcome.state === 'failed' ? 'error' : outcome.state === 'saved' ? 'success' : 'info'}>
                            {outcome.state === 'failed' ? 'Not all saved' : outcome.state === 'saved' ? 'Saved' : 'Nothing to change'}
                          </StatusIndicator>
                        ) : busy ? (
                          <StatusIndicator type="pending">Waiting</StatusIndicator>
                        ) : undefined
                      }
                    >
                      {target.displayName}
                    </Header>
                  }
                >
                  <SpaceBetween size="s">
                    {outcome?.results.map((r) => r.error && <Refusal key={r.ruleId} ruleId={r.ruleId} error={r.error} />)}
                    <ExpandableSection headerText={`${changes.length} change${changes.length === 1 ? '' : 's'}`} defaultExpanded={mode === 'review'}>
                      <ReviewChanges changes={changes} />
                    </ExpandableSection>
                  </SpaceBetween>
                </Container>
              );
            })}
        </SpaceBetween>
      )}
    </ContentLayout>
  );
}
