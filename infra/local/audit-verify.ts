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
import type { ChainReport } from '../../shared/domain/audit-chain.ts';
import { verifyChain, verifyChainPage } from '../../shared/services/audit-verify.ts';
import type { Services } from '../../shared/services/context.ts';
import { createServices } from '../../shared/services/create-services.ts';
import { readSettings } from '../../shared/settings.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function services(args: string[]): Services {
  const settings = readSettings();
  const store = settings.store;
  const local = args.includes('--aws') ? undefined : (store.dynamoEndpoint ?? `http://127.0.0.1:${settings.local.dynamoPort}`);
  return createServices({ ...store, dynamoEndpoint: local }, systemClock);
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
