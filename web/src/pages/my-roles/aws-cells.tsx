/**
 * What the AWS accounts tab shows beside each row: where the IAM Identity Center assignment stands
 * (Provisioning…, Provisioned and since when, Failed and why), until when sessions issued before the end
 * may last; and reading the active list again while an activation is being provisioned.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useRef } from 'react';
import { describeDuration, durationHours, Time } from '../../components/time.tsx';
import type { AwsAccess } from './aws-data.ts';

export function ProvisioningState({ value }: { value: AwsAccess | undefined }) {
  switch (value?.provisioningState) {
    case 'provisioning':
      return <StatusIndicator type="loading">Provisioning…</StatusIndicator>;
    case 'provisioned':
      return (
        <SpaceBetween size="xxxs">
          <StatusIndicator type="success">Provisioned</StatusIndicator>
          {value.usableDateTime && (
            <Box variant="small">
              Usable since <Time value={value.usableDateTime} />
            </Box>
          )}
        </SpaceBetween>
      );
    case 'failed':
      return (
        <SpaceBetween size="xxxs">
          <StatusIndicator type="error">Failed</StatusIndicator>
          {value.failureReason && <Box variant="small">{value.failureReason}</Box>}
        </SpaceBetween>
      );
    case 'revoked':
      return <StatusIndicator type="stopped">Revoked</StatusIndicator>;
    default:
      return <Box variant="small">—</Box>;
  }
}

/** Deleting an assignment stops new sessions only: those issued before run out on their own. */
export function SessionsNote({ value }: { value: AwsAccess | undefined }) {
  if (!value?.sessionsMayLastUntil) return <Box variant="small">—</Box>;
  return (
    <Box variant="small">
      Sessions issued before may last until <Time value={value.sessionsMayLastUntil} />
    </Box>
  );
}

/** The permission set's session duration, and a warning when a session outlives a deactivation by more than an hour. */
export function SessionDurationNotice({ duration }: { duration: string | undefined }) {
  if (!duration) return null;
  const hours = durationHours(duration) ?? 0;
  return (
    <SpaceBetween size="xs">
      <Box variant="small">AWS session duration: {describeDuration(duration)}</Box>
      {hours > 1 && (
        <Alert type="warning" header="Sessions outlive a deactivation">
          This permission set issues sessions of up to {describeDuration(duration)}. Ending the activation stops new sessions, but sessions already issued keep
          working for up to {describeDuration(duration)} after it ends.
        </Alert>
      )}
    </SpaceBetween>
  );
}

const POLL_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * While an activation is still being provisioned, reads the active list again a few times with back-off
 * (1 s up to 30 s, six times), then stops: a stuck operation is the reconciler's to report, not the page's.
 * `round` restarts the back-off (a new activation); `loaded` is the data last read (each answer arms the next read).
 */
export function useProvisioningPoll(provisioning: boolean, reload: () => void, round: number, loaded: unknown) {
  const attempts = useRef(0);
  useEffect(() => {
    attempts.current = 0;
  }, [round]);
  useEffect(() => {
    if (!provisioning || attempts.current >= POLL_DELAYS_MS.length) return;
    const timer = window.setTimeout(() => {
      attempts.current += 1;
      reload();
    }, POLL_DELAYS_MS[attempts.current]);
    return () => window.clearTimeout(timer);
  }, [provisioning, reload, round, loaded]);
}
