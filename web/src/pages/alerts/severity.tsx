/** An alert's severity as Entra shows it: a coloured icon with the word (never colour alone). */
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { SEVERITY_LABEL, type Severity } from '../../domain/alerts.ts';

const TYPE = { high: 'error', medium: 'warning', low: 'info' } as const;

export function SeverityLabel({ level }: { level: Severity | undefined }) {
  if (!level) return <>—</>;
  return <StatusIndicator type={TYPE[level]}>{SEVERITY_LABEL[level]}</StatusIndicator>;
}
