/**
 * `npm run search:backfill`: gives the users, groups and service principals of an existing table their
 * search entries (`$filter=startswith(…)`), once, after deploying the version that added directory search.
 * Objects created or changed since then have them already; running it again changes nothing.
 *
 * Like `audit:verify`, it talks to the table directly: by default the one `npm start` runs (DynamoDB Local on
 * STINT_DYNAMODB_PORT, table `stint`); STINT_DYNAMODB_ENDPOINT and STINT_TABLE_NAME point it elsewhere, and
 * `--aws` uses AWS with the usual credentials (read and write access to the table).
 */
import { systemClock } from '../../shared/domain/clock.ts';
import { createServices } from '../../shared/services/create-services.ts';
import { backfillSearch } from '../../shared/services/directory/search-backfill.ts';
import { readSettings } from '../../shared/settings.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main(args: string[]): Promise<void> {
  const settings = readSettings();
  const store = settings.store;
  const local = args.includes('--aws') ? undefined : (store.dynamoEndpoint ?? `http://127.0.0.1:${settings.local.dynamoPort}`);
  const svc = createServices({ ...store, dynamoEndpoint: local }, systemClock);
  for (const report of await backfillSearch(svc)) {
    console.log(
      `${svc.table.tableName}: ${report.objects} ${report.type} object(s) indexed for search (${report.changedMeanwhile} changed meanwhile, indexed by that change).`,
    );
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    console.error(`search:backfill failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
