/** One alert's settings: Enabled and its thresholds, with Save; the API's refusal shown beside the field. */
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Toggle from '@cloudscape-design/components/toggle';
import { useState } from 'react';
import { StepUpRequired } from '../../api/errors.ts';
import { ALERTS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { changedSettings, fieldOfMessage, fieldText, settingFields, type AlertConfiguration, type AlertDefinition } from '../../domain/alerts.ts';
import { SeverityLabel } from './severity.tsx';

export function AlertSettingsPanel({
  alertId,
  definition,
  configuration,
  canEdit,
}: {
  alertId: string;
  definition: AlertDefinition;
  configuration: AlertConfiguration;
  canEdit: boolean;
}) {
  const { api, notify, session } = useApp();
  const fields = settingFields(alertId);
  const [saved, setSaved] = useState(configuration);
  const [enabled, setEnabled] = useState(configuration.isEnabled);
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.key, fieldText(f, configuration[f.key])])));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const { change } = changedSettings(alertId, saved, texts, enabled);
  const dirty = Object.keys(change).length > 0 || fields.some((f) => (texts[f.key] ?? '').trim() !== fieldText(f, saved[f.key]));

  async function save() {
    const { change, invalid } = changedSettings(alertId, saved, texts, enabled);
    setError(undefined);
    setFieldErrors(Object.fromEntries(invalid.map((key) => [key, 'Enter a number.'])));
    if (invalid.length > 0 || Object.keys(change).length === 0) return;
    setBusy(true);
    try {
      const next = await api.patch<AlertConfiguration>(`${ALERTS}/alertConfigurations/${encodeURIComponent(configuration.id)}`, {
        '@odata.type': saved['@odata.type'],
        ...change,
      });
      setSaved(next);
      setEnabled(next.isEnabled);
      setTexts(Object.fromEntries(fields.map((f) => [f.key, fieldText(f, next[f.key])])));
      notify({ type: 'success', content: `Settings of "${definition.displayName}" saved; the alert was scanned again.` });
    } catch (e) {
      if (e instanceof StepUpRequired) return session.stepUp(window.location.pathname, e.maxAgeSeconds);
      const field = fieldOfMessage(alertId, (e as Error).message);
      if (field) setFieldErrors({ [field]: (e as Error).message });
      else setError(e as Error);
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    setEnabled(saved.isEnabled);
    setTexts(Object.fromEntries(fields.map((f) => [f.key, fieldText(f, saved[f.key])])));
    setFieldErrors({});
    setError(undefined);
  }

  // A named region per alert, so that a screen reader (and a test) finds one alert's settings by its name.
  return (
    <section aria-label={definition.displayName}>
      <Container
        header={
          <Header
            variant="h2"
            description={definition.description}
            info={<SeverityLabel level={definition.severityLevel} />}
            actions={
              canEdit && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button disabled={!dirty || busy} onClick={cancel} ariaLabel={`Cancel changes to ${definition.displayName}`}>
                    Cancel
                  </Button>
                  <Button variant="primary" disabled={!dirty} loading={busy} onClick={() => void save()} ariaLabel={`Save ${definition.displayName}`}>
                    Save
                  </Button>
                </SpaceBetween>
              )
            }
          >
            {definition.displayName}
          </Header>
        }
      >
        <SpaceBetween size="m">
          <Toggle checked={enabled} disabled={!canEdit} onChange={(e) => setEnabled(e.detail.checked)}>
            Alert enabled
          </Toggle>
          {fields.length > 0 && (
            <ColumnLayout columns={2}>
              {fields.map((f) => (
                <FormField key={f.key} label={f.label} description={f.description} errorText={fieldErrors[f.key]}>
                  <Input
                    type="number"
                    inputMode="numeric"
                    value={texts[f.key] ?? ''}
                    disabled={!canEdit || !enabled}
                    invalid={Boolean(fieldErrors[f.key])}
                    onChange={(e) => {
                      setTexts((t) => ({ ...t, [f.key]: e.detail.value }));
                      setFieldErrors((errors) => ({ ...errors, [f.key]: '' }));
                    }}
                  />
                </FormField>
              ))}
            </ColumnLayout>
          )}
          <ApiErrorAlert header="Not saved" error={error} onDismiss={() => setError(undefined)} />
        </SpaceBetween>
      </Container>
    </section>
  );
}
