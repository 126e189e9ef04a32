/**
 * The organization's tree as Stint keeps it: accounts with the OUs above them. An eligibility on an OU
 * covers the accounts below it, resolved from this snapshot (refreshed by the reconciler, and at once
 * when a request names an account or OU the snapshot does not know yet), so a request never waits on
 * AWS Organizations for accounts it has seen.
 */
import { BadRequestError } from '../../domain/errors.ts';
import { accountScope, ouScope, parseAwsScope } from '../../domain/aws-access.ts';
import { getAwsAccount, getAwsUnit, listAwsAccounts, putAwsAccount, putAwsUnit, type AwsAccount } from '../../store/aws-directory.ts';
import type { Services } from '../context.ts';
import { awsCall } from './aws-call.ts';
import { connected } from './role-definitions.ts';

export async function refreshOrganization(svc: Services): Promise<{ accounts: number; units: number; managementAccountId?: string }> {
  const aws = connected(svc);
  const org = await aws.center.describeOrganization();
  const known = new Map((await listAwsAccounts(svc.table)).map((a) => [a.id, a]));
  for (const unit of [{ id: org.rootId, name: 'Root', parentId: null }, ...org.units]) await putAwsUnit(svc.table, unit);
  for (const account of org.accounts) {
    const before = known.get(account.id);
    if (!before || JSON.stringify(before) !== JSON.stringify(account)) await putAwsAccount(svc.table, account);
  }
  return { accounts: org.accounts.length, units: org.units.length + 1, managementAccountId: org.managementAccountId };
}

/** An account by id: from the snapshot, else after one refresh; a 400 when the organization has no such account. */
export async function accountOf(svc: Services, accountId: string): Promise<AwsAccount> {
  const stored = await getAwsAccount(svc.table, accountId);
  if (stored) return stored;
  await awsCall(() => refreshOrganization(svc));
  const fresh = await getAwsAccount(svc.table, accountId);
  if (!fresh) throw new BadRequestError(`Account ${accountId} is not an account of the AWS organization.`, 'InvalidScope');
  return fresh;
}

async function checkUnit(svc: Services, unitId: string): Promise<void> {
  if (await getAwsUnit(svc.table, unitId)) return;
  await awsCall(() => refreshOrganization(svc));
  if (!(await getAwsUnit(svc.table, unitId)))
    throw new BadRequestError(`'${unitId}' is not an organizational unit or root of the AWS organization.`, 'InvalidScope');
}

/**
 * Checks an AWS scope against the organization and Stint's exclusions, and gives the scopes above it
 * (an account's OUs and root, as `/ous/…`), nearest first.
 */
export async function resolveAwsScope(svc: Services, scope: string): Promise<{ scope: string; parents: string[] }> {
  const parsed = parseAwsScope(scope);
  const aws = connected(svc);
  if (parsed.type === 'ou') {
    await checkUnit(svc, parsed.id);
    return { scope: ouScope(parsed.id), parents: [] };
  }
  if (aws.excludedAccounts.includes(parsed.id)) {
    throw new BadRequestError(
      `Account ${parsed.id} is excluded from AWS access (the management account and the account Stint runs in are never assigned).`,
      'AccountExcluded',
    );
  }
  const account = await accountOf(svc, parsed.id);
  if (account.status !== 'ACTIVE') throw new BadRequestError(`Account ${account.id} (${account.name}) is ${account.status}, not ACTIVE.`, 'InvalidScope');
  return { scope: accountScope(account.id), parents: account.parents.map(ouScope) };
}
