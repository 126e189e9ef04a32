/** How the directory pages name a group's type, a membership type and an account's state (Entra's words). */
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { DirectoryGroup as Group } from '../../domain/directory.ts';

export function groupTypeLabel(g: Pick<Group, 'groupTypes' | 'mailEnabled' | 'securityEnabled'>): string {
  if (g.groupTypes.includes('Unified')) return 'Microsoft 365';
  if (g.securityEnabled) return g.mailEnabled ? 'Mail-enabled security' : 'Security';
  return 'Distribution';
}

export function membershipTypeLabel(g: Pick<Group, 'groupTypes'>): string {
  return g.groupTypes.includes('DynamicMembership') ? 'Dynamic' : 'Assigned';
}

export function AccountEnabled({ value }: { value: boolean }) {
  return <StatusIndicator type={value ? 'success' : 'stopped'}>{value ? 'Yes' : 'No'}</StatusIndicator>;
}

export function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}
