/**
 * `npm run bench -- --cold`: what a cold start costs each Lambda before it serves a request. Synthesizes
 * the stack (`npm run synth`, the real esbuild bundling; `--no-synth` reuses cdk.out), then for every
 * function in the template reports its bundle's size and how long importing it takes: each bundle is
 * imported BENCH_COLD_RUNS times (default 15), each time in a fresh `node` process with the environment
 * the template gives it (values CloudFormation fills in at deploy time replaced by harmless stand-ins),
 * and the median is reported. Only module import is timed, not Node's own start nor the first request.
 * The aims (issue 13) are ≤ 300 KB and a median import ≤ 80 ms per function.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../infra/constructs/stint-function.ts';
import { percentile } from './stats.ts';

/** BENCH_CDK_OUT measures another assembly (e.g. an older commit's, to compare). */
const CDK_OUT = process.env.BENCH_CDK_OUT || join(REPO_ROOT, 'cdk.out');
const RUNS = Number(process.env.BENCH_COLD_RUNS || 15);
export const COLD_AIMS = { bundleKiB: 300, importMs: 80 };

interface Bundle {
  service: string;
  file: string;
  env: Record<string, string>;
}

const progress = (message: string) => process.stderr.write(`[bench --cold] ${message}\n`);

/** A plain stand-in for a value CloudFormation resolves at deploy time (a Ref or Fn::Join). */
function standIn(name: string): string {
  if (/ARN$/.test(name)) return 'arn:aws:states:us-east-1:000000000000:stateMachine:stint-bench';
  if (/(URL|ISSUER)$/.test(name)) return 'https://bench.invalid/';
  return 'bench';
}

/** Every Lambda in the synthesized template whose code is a staged asset with an index.mjs. */
function bundles(): Bundle[] {
  const manifest = JSON.parse(readFileSync(join(CDK_OUT, 'manifest.json'), 'utf8'));
  const templates = Object.values<any>(manifest.artifacts)
    .filter((a) => a.type === 'aws:cloudformation:stack')
    .map((a) => join(CDK_OUT, a.properties.templateFile));
  const found: Bundle[] = [];
  for (const templateFile of templates) {
    const { Resources } = JSON.parse(readFileSync(templateFile, 'utf8'));
    for (const [id, r] of Object.entries<any>(Resources)) {
      const assetPath = r.Metadata?.['aws:asset:path'];
      if (r.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
      const file = join(CDK_OUT, assetPath, 'index.mjs');
      if (!existsSync(file)) continue;
      const variables: Record<string, unknown> = r.Properties.Environment?.Variables ?? {};
      const env = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : standIn(k)]));
      found.push({ service: env.POWERTOOLS_SERVICE_NAME ?? id, file, env });
    }
  }
  return found.sort((a, b) => a.service.localeCompare(b.service));
}

/** What Lambda itself sets in every function's environment, so code that asks "am I on Lambda?" says yes. */
function lambdaEnv(service: string): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: service,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    LAMBDA_TASK_ROOT: '/var/task',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
}

/**
 * The child: import the bundle, check it exports a handler, print the import's wall-clock milliseconds
 * and the CPU milliseconds the process spent meanwhile (steadier than wall time on a busy machine).
 */
const CHILD = `
const cpu = process.cpuUsage();
const started = performance.now();
const module = await import(process.argv[1]);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
if (typeof module.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify([ms, (used.user + used.system) / 1000]));
`;

function importOnce(bundle: Bundle): [wallMs: number, cpuMs: number] {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, pathToFileURL(bundle.file).href], {
    env: { ...lambdaEnv(bundle.service), ...bundle.env },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`${bundle.service}: importing ${bundle.file} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as [number, number];
}

function directoryBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

export async function coldBench(argv: string[] = process.argv): Promise<void> {
  if (!argv.includes('--no-synth')) {
    progress('npm run synth');
    // esbuild's per-asset lines are noise here; they are shown only if the synth fails.
    const synth = spawnSync('npm', ['run', '--silent', 'synth'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (synth.status !== 0) throw new Error(`npm run synth failed:\n${synth.stderr}`);
  }
  if (!existsSync(join(CDK_OUT, 'manifest.json'))) throw new Error('No cdk.out: run without --no-synth first.');
  const found = bundles();
  if (found.length === 0) throw new Error('No bundled functions in cdk.out.');

  const rows: { service: string; kib: number; assetKiB: number; p50: number; min: number; cpuP50: number }[] = [];
  for (const bundle of found) {
    progress(`${bundle.service}: ${RUNS} imports`);
    const runs = Array.from({ length: RUNS }, () => importOnce(bundle));
    const times = runs.map(([wall]) => wall);
    rows.push({
      service: bundle.service,
      kib: statSync(bundle.file).size / 1024,
      assetKiB: directoryBytes(join(bundle.file, '..')) / 1024,
      p50: percentile(times, 50),
      min: Math.min(...times),
      cpuP50: percentile(
        runs.map(([, cpu]) => cpu),
        50,
      ),
    });
  }

  console.log(`\nStint cold start — ${new Date().toISOString()}, Node ${process.version}, ${RUNS} fresh imports per function\n`);
  console.log('| function | index.mjs KiB | asset KiB | import p50 ms | import min ms | CPU p50 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const flag = r.kib > COLD_AIMS.bundleKiB || r.p50 > COLD_AIMS.importMs ? ' ⚠' : '';
    console.log(
      `| ${r.service}${flag} | ${r.kib.toFixed(0)} | ${r.assetKiB.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.min.toFixed(1)} | ${r.cpuP50.toFixed(1)} |`,
    );
  }
  const load = loadavg()[0]!.toFixed(1);
  console.log(`\nAims: ≤ ${COLD_AIMS.bundleKiB} KiB and a median import ≤ ${COLD_AIMS.importMs} ms per function (⚠ marks a miss).`);
  console.log(`Load average ${load} on ${availableParallelism()} CPUs: wall times grow with the load; CPU time less so.`);
}
