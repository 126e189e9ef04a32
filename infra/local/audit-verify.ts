/**
 * `npm run audit:verify`: checks every audit chain (or one, with --chain <id>) and prints the first record
 * of each chain that was changed, deleted or reordered. Exit code 0 when every chain is intact, 1 when one
 * is not, 2 when the check itself failed.
 *
 * It reads the table directly, with no API and no token: by default the one `npm start` runs
 * (DynamoDB Local on STINT_DYNAMODB_PORT, table `stint`); STINT_DYNAMODB_ENDPOINT and STINT_TABLE_NAME
 * point it elsewhere, and `--aws` uses AWS with the usual credentials (read access to the table is enough).
 */
import { systemClock } from '../../shared/domain/clock.ts';
import { readRetentionDays } from '../../shared/config.ts';
import type { ChainReport } from '../../shared/domain/audit-chain.ts';
import { verifyChain, verifyChainPage } from '../../shared/services/audit-verify.ts';
import type { Services } from '../../shared/services/context.ts';
import { DEFAULT_TABLE_NAME } from '../../shared/store/table-schema.ts';
import { createServices } from '../../shared/services/create-services.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function services(args: string[]): Services {
  const aws = args.includes('--aws');
  const endpoint = aws ? undefined : process.env.STINT_DYNAMODB_ENDPOINT || `http://127.0.0.1:${process.env.STINT_DYNAMODB_PORT || 8000}`;
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const tableName = process.env.STINT_TABLE_NAME || DEFAULT_TABLE_NAME;
  return createServices(
    { region, dynamoEndpoint: endpoint, tableName, auditRetentionDays: readRetentionDays(process.env.STINT_AUDIT_RETENTION_DAYS) },
    systemClock,
  );
}

function describe(report: ChainReport): string {
  const finding = report.firstFinding;
  const counts = `${report.chained} chained${report.unchainedLegacy ? `, ${report.unchainedLegacy} unchained legacy` : ''}${report.expired ? `, ${report.expired} expired by retention` : ''}`;
  if (!finding) return `ok        ${report.chainId} (${counts})`;
  return `${finding.kind.toUpperCase().padEnd(9)} ${report.chainId}: record ${finding.recordId ?? '(none)'} at position ${finding.seq}: ${finding.detail} (${counts})`;
}

async function main(args: string[]): Promise<number> {
  const svc = services(args);
  const chainAt = args.indexOf('--chain');
  const reports: ChainReport[] = [];
  if (chainAt >= 0) {
    const chainId = args[chainAt + 1];
    if (!chainId) throw new Error('--chain needs the id of the object whose chain to check.');
    reports.push(await verifyChain(svc, chainId));
  } else {
    let token: string | undefined;
    do {
      const page = await verifyChainPage(svc, 50, token);
      reports.push(...page.items);
      token = page.nextToken;
    } while (token);
  }
  const broken = reports.filter((r) => r.firstFinding);
  for (const report of args.includes('--all') ? reports : broken) console.log(describe(report));
  const legacy = reports.reduce((n, r) => n + r.unchainedLegacy, 0);
  const records = reports.reduce((n, r) => n + r.chained, 0);
  console.log(
    `${svc.table.tableName}: ${reports.length} chains, ${records} chained records, ${legacy} unchained legacy records; ` +
      (broken.length ? `${broken.length} chain(s) NOT intact.` : 'every chain intact.'),
  );
  return broken.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
