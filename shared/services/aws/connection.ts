/** The AWS connection the services carry, from the settings; none when no Identity Center instance is set. */
import type { AwsAccessSettings } from '../../settings.ts';
import type { AwsConnection } from '../context.ts';
import { createSdkIdentityCenter } from './sdk-identity-center.ts';

export function connectAws(settings: AwsAccessSettings): AwsConnection | undefined {
  const { instanceArn, identityStoreId } = settings;
  // settings.ts requires the identity store with the instance; both are checked so the types agree.
  if (!instanceArn || !identityStoreId) return undefined;
  return {
    center: createSdkIdentityCenter({ instanceArn, identityStoreId, region: settings.region, endpoint: settings.endpoint }),
    excludedAccounts: settings.excludedAccounts,
    removeUnmanaged: settings.removeUnmanaged,
  };
}
