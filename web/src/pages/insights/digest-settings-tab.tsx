/**
 * Who gets the weekly PIM digest (activations, new assignments, open alerts, approvals waiting, reviews
 * due): the Privileged Role and Global Administrators unless turned off, people named here, mail
 * addresses outside the directory, and administrators who asked to be left out. Users are found by a
 * server-side search; the API checks that each exists.
 */
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import Toggle from '@cloudscape-design/components/toggle';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { INSIGHTS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { resolvePrincipals } from '../../components/principal-names.ts';
import { PrincipalSearch, type Principal } from '../../components/principal-search.tsx';
import { Time } from '../../components/time.tsx';
import { parseRecipients, type DigestSettings } from '../../domain/insights.ts';

const isMail = (r: string) => r.includes('@');

interface Form {
  isEnabled: boolean;
  sendToAdministrators: boolean;
  users: Principal[];
  mails: string;
  excluded: Principal[];
}

export function DigestSettingsTab() {
  const { api } = useApp();
  const [round, setRound] = useState(0);
  const loaded = useLoad(async () => {
    const settings = await api.get<DigestSettings>(`${INSIGHTS}/digestSettings`);
    const ids = [...settings.additionalRecipients.filter((r) => !isMail(r)), ...settings.excludedUserIds];
    return { settings, names: ids.length ? await resolvePrincipals(api, ids) : new Map<string, Principal>() };
  }, `digest|${round}`);
  if (loaded.error) return <LoadError error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return <Container header={<Header variant="h2">Weekly digest</Header>}>Loading…</Container>;
  return <DigestForm key={round} settings={loaded.data.settings} names={loaded.data.names} onSaved={() => setRound((r) => r + 1)} />;
}

function DigestForm({ settings, names, onSaved }: { settings: DigestSettings; names: Map<string, Principal>; onSaved: () => void }) {
  const { api, capabilities, notify, session } = useApp();
  const canEdit = capabilities['policies.manage'] || capabilities['roleAssignments.manage'];
  const named = (id: string): Principal => names.get(id) ?? { id, type: 'user', displayName: id };
  const [form, setForm] = useState<Form>({
    isEnabled: settings.isEnabled,
    sendToAdministrators: settings.sendToAdministrators,
    users: settings.additionalRecipients.filter((r) => !isMail(r)).map(named),
    mails: settings.additionalRecipients.filter(isMail).join('\n'),
    excluded: settings.excludedUserIds.map(named),
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  async function save() {
    setBusy(true);
    setError(undefined);
    try {
      await api.patch(`${INSIGHTS}/digestSettings`, {
        isEnabled: form.isEnabled,
        sendToAdministrators: form.sendToAdministrators,
        additionalRecipients: [...form.users.map((u) => u.id), ...parseRecipients(form.mails)],
        excludedUserIds: form.excluded.map((u) => u.id),
      });
      notify({ type: 'success', content: 'Weekly digest settings saved.' });
      onSaved();
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.pathname + window.location.search, e.maxAgeSeconds);
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            <>
              A weekly email of activations, new assignments, open alerts, approvals waiting more than a day and reviews due.
              {settings.lastModifiedDateTime && (
                <>
                  {' '}
                  Last changed <Time value={settings.lastModifiedDateTime} />
                  {settings.lastModifiedBy.displayName ? ` by ${settings.lastModifiedBy.displayName}` : ''}.
                </>
              )}
            </>
          }
          actions={
            canEdit && (
              <Button variant="primary" loading={busy} onClick={() => void save()}>
                Save
              </Button>
            )
          }
        >
          Weekly digest
        </Header>
      }
    >
      <SpaceBetween size="m">
        <Toggle checked={form.isEnabled} disabled={!canEdit} onChange={(e) => set({ isEnabled: e.detail.checked })}>
          Send the weekly digest
        </Toggle>
        <Toggle checked={form.sendToAdministrators} disabled={!canEdit || !form.isEnabled} onChange={(e) => set({ sendToAdministrators: e.detail.checked })}>
          Send to every Privileged Role Administrator and Global Administrator
        </Toggle>
        <FormField label="Additional recipients (users)" description="People who get the digest besides the administrators.">
          {canEdit ? (
            <PrincipalSearch types={['user']} label="Additional recipients (users)" selected={form.users} onChange={(users) => set({ users })} />
          ) : (
            form.users.map((u) => u.displayName).join(', ') || 'None'
          )}
        </FormField>
        <FormField label="Additional recipients (mail addresses)" description="Addresses outside the directory, one per line.">
          <Textarea
            value={form.mails}
            disabled={!canEdit}
            rows={2}
            onChange={(e) => set({ mails: e.detail.value })}
            ariaLabel="Additional recipients (mail addresses)"
          />
        </FormField>
        <FormField label="Excluded users" description="Administrators who do not get the digest.">
          {canEdit ? (
            <PrincipalSearch types={['user']} label="Excluded users" selected={form.excluded} onChange={(excluded) => set({ excluded })} />
          ) : (
            form.excluded.map((u) => u.displayName).join(', ') || 'None'
          )}
        </FormField>
        <ApiErrorAlert header="Not saved" error={error} onDismiss={() => setError(undefined)} />
      </SpaceBetween>
    </Container>
  );
}
