/**
 * A policy's settings: shown in Entra's three tabs, then Edit → Review changes (each field old → new) →
 * Update, which PATCHes only the changed rules. Used for directory roles and for a group's member and
 * owner settings alike. A step-up keeps the edited form across the MFA sign-in.
 */
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { saveResume, takeResume } from '../../auth/resume.ts';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { changedRules, diffSettings, settingsErrors, settingsFromRules, type Settings, type SettingsTab } from '../../domain/role-settings.ts';
import { href, useLocation } from '../../router.tsx';
import { loadPolicy, saveRules, type PolicyTarget, type RuleResult } from './policy-data.ts';
import { Refusal, ReviewChanges } from './review-changes.tsx';
import { SettingsTabs } from './settings-tabs.tsx';

const RESUME_KIND = 'policy-edit';

interface Draft {
  key: string;
  settings: Settings;
}

function targetKey(t: PolicyTarget): string {
  return `${t.scopeType}:${t.scopeId}:${t.roleDefinitionId}`;
}

export function PolicyEditor({
  target,
  title,
  noun,
  tab,
  onTab,
  canEdit,
}: {
  target: PolicyTarget;
  title: string;
  noun?: string;
  tab: SettingsTab;
  onTab: (tab: SettingsTab) => void;
  canEdit: boolean;
}) {
  const { api, session, notify } = useApp();
  const location = useLocation();
  const key = targetKey(target);
  const policy = useLoad(() => loadPolicy(api, target), key);
  const [mode, setMode] = useState<'view' | 'edit' | 'review'>('view');
  const [draft, setDraft] = useState<Settings>();
  const [results, setResults] = useState<RuleResult[]>([]);
  const [busy, setBusy] = useState(false);

  const saved = policy.data ? settingsFromRules(policy.data.rules) : undefined;

  // Back from the MFA sign-in: the edited form, at the review step.
  useEffect(() => {
    if (!policy.data) return;
    const resume = takeResume<Draft>(RESUME_KIND);
    if (resume?.key === key) {
      setDraft(resume.settings);
      setMode('review');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [policy.data]);

  if (policy.error) return <LoadError error={policy.error} retry={policy.reload} />;

  const errors = draft ? settingsErrors(draft) : {};
  const changes = saved && draft ? diffSettings(saved, draft) : [];

  async function update() {
    if (!policy.data || !draft) return;
    setBusy(true);
    setResults([]);
    try {
      const rules = changedRules(policy.data.rules, draft);
      const outcome = await saveRules(api, policy.data.policyId, rules);
      const failed = outcome.filter((r) => r.error);
      if (failed.length === 0) {
        notify({ type: 'success', header: 'Settings updated', content: `${title}: ${rules.length} rule${rules.length === 1 ? '' : 's'} saved.` });
        setMode('view');
        setDraft(undefined);
      } else {
        setResults(failed);
      }
      policy.reload();
    } catch (error) {
      if (error instanceof StepUpRequired) {
        saveResume({ kind: RESUME_KIND, payload: { key, settings: draft } satisfies Draft });
        await session.stepUp(href(`${location.path}?${location.search.toString()}`), error.maxAgeSeconds);
        return;
      }
      setResults([{ ruleId: '', error: error as never }]);
    } finally {
      setBusy(false);
    }
  }

  const actions =
    mode === 'view' ? (
      canEdit && (
        <Button
          disabled={!saved}
          onClick={() => {
            setDraft(saved);
            setResults([]);
            setMode('edit');
          }}
        >
          Edit
        </Button>
      )
    ) : mode === 'edit' ? (
      <SpaceBetween direction="horizontal" size="xs">
        <Button
          variant="link"
          onClick={() => {
            setMode('view');
            setDraft(undefined);
          }}
        >
          Cancel
        </Button>
        <Button variant="primary" disabled={Object.keys(errors).length > 0} onClick={() => setMode('review')}>
          Next: Review changes
        </Button>
      </SpaceBetween>
    ) : (
      <SpaceBetween direction="horizontal" size="xs">
        <Button onClick={() => setMode('edit')} disabled={busy}>
          Back to edit
        </Button>
        <Button variant="primary" loading={busy} disabled={changes.length === 0} onClick={() => void update()}>
          Update
        </Button>
      </SpaceBetween>
    );

  return (
    <SpaceBetween size="m">
      <Header
        variant="h2"
        actions={actions}
        description={
          mode === 'edit'
            ? 'Change the settings, then review the change before it is saved.'
            : mode === 'review'
              ? 'Nothing is saved until you choose Update.'
              : undefined
        }
      >
        {mode === 'review' ? `Review changes: ${title}` : mode === 'edit' ? `Edit: ${title}` : title}
      </Header>
      {results.map((r, i) => r.error && <Refusal key={i} ruleId={r.ruleId || undefined} error={r.error} />)}
      {mode === 'review' ? (
        <ReviewChanges changes={changes} />
      ) : saved ? (
        <SettingsTabs
          value={mode === 'edit' && draft ? draft : saved}
          onChange={mode === 'edit' ? setDraft : undefined}
          errors={mode === 'edit' ? errors : undefined}
          tab={tab}
          onTab={onTab}
          noun={noun}
        />
      ) : (
        <StatusIndicator type="loading">Loading the settings</StatusIndicator>
      )}
    </SpaceBetween>
  );
}
