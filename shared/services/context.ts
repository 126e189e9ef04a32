import type { Caller } from '../domain/caller.ts';
import type { Clock } from '../domain/clock.ts';
import type { PageTokens } from '../store/page-token.ts';
import type { TableContext } from '../store/table-context.ts';
import type { IdentityCenter } from './aws/identity-center.ts';

/** What use cases depend on; built once per process and injected, so tests can swap the clock. */
export interface Services {
  table: TableContext;
  clock: Clock;
  pageTokens: PageTokens;
  /** AWS access through IAM Identity Center; absent when it is not connected (shared/services/aws/). */
  aws?: AwsConnection;
}

export interface AwsConnection {
  center: IdentityCenter;
  /** Accounts Stint never assigns into. */
  excludedAccounts: readonly string[];
  /** Whether the reconciler removes assignments made outside Stint on managed permission sets. */
  removeUnmanaged: boolean;
}

/** Who is acting, and the id that ties a request's audit records and logs together. */
export interface Actor {
  caller: Caller;
  correlationId: string;
  /** The platform itself (seeding, bootstrap): never set from a request. */
  system?: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque token for the next page; absent on the last page. */
  nextToken?: string;
}
