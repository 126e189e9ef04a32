/**
 * Verifying the audit chains (domain/audit-chain.ts): one chain by its id, or every chain a page at a
 * time (the chains' heads are listed on the sharded gsi1). Used by the API (readers only) and by
 * `npm run audit:verify`, which walks every page.
 */
import { ChainVerifier, type ChainReport } from '../domain/audit-chain.ts';
import { isAllowed, roleNamesGranting } from '../domain/authorization.ts';
import type { Caller } from '../domain/caller.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { chainRecords, listChainIds, readChainHead } from '../store/audit-chain.ts';
import type { ShardCursor } from '../store/sharded-list.ts';
import type { Page, Services } from './context.ts';
import { heldRoles } from './roles/holdings/principal-access.ts';

export const DEFAULT_CHAINS_PER_PAGE = 20;

export async function verifyChain(svc: Services, chainId: string): Promise<ChainReport> {
  const verifier = new ChainVerifier(chainId, svc.table.auditRetentionDays !== undefined);
  // The head first: a record committed meanwhile is then beyond the head (checked next time), not a mismatch.
  const head = await readChainHead(svc.table, chainId);
  for await (const stored of chainRecords(svc.table, chainId)) verifier.add(stored);
  return verifier.report(head);
}

export async function verifyChainPage(svc: Services, top = DEFAULT_CHAINS_PER_PAGE, skipToken?: string): Promise<Page<ChainReport>> {
  const listing = 'audit:chains';
  const cursor = skipToken ? svc.pageTokens.decode<ShardCursor>(listing, skipToken) : undefined;
  const page = await listChainIds(svc.table, top, cursor);
  const items: ChainReport[] = [];
  for (const chainId of page.chainIds) items.push(await verifyChain(svc, chainId));
  return { items, nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}

export async function verifyAuditChains(
  svc: Services,
  caller: Caller,
  options: { chainId?: string; top?: number; skipToken?: string },
): Promise<Page<ChainReport>> {
  if (!isAllowed(await heldRoles(svc, caller), 'audit.readAll')) {
    throw new ForbiddenError(`Verifying the audit chains needs one of these roles, active at '/': ${roleNamesGranting('audit.readAll').join(', ')}.`);
  }
  if (options.chainId !== undefined) return { items: [await verifyChain(svc, options.chainId)] };
  return verifyChainPage(svc, options.top, options.skipToken);
}
