/**
 * `npm run conformance [-- http://localhost:3000]`: fills a running Stint (`npm start`) and checks every
 * v1.0 answer against Graph's v1.0 schema, as the conformance test does. Exits 1 on any problem.
 */
import { graphV1 } from './csdl.ts';
import { fillStack, httpCall } from './fill.ts';
import { formatProblems, probe } from './probe.ts';

const baseUrl = (process.argv[2] ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const call = httpCall(baseUrl);
// The running stack's background starts the review's instance within its review interval; ask for it now.
const filled = await fillStack(call, { runReviews: () => call('POST', '/local/reviews/run') });
const report = await probe(call, filled, graphV1(), 'v1.0');
const values = report.checked.reduce((n, c) => n + c.values, 0);
console.log(
  `${report.checked.length} answers from ${new Set(report.checked.map((c) => c.route)).size} v1.0 routes, ${values} values checked against Graph's v1.0 schema.`,
);
console.log(`Stint's extensions met: routes ${report.extensionRoutes.length}, annotations ${[...report.annotations].sort().join(', ') || 'none'}.`);
if (report.problems.length) {
  console.log(`${report.problems.length} problems:\n${formatProblems(report.problems)}`);
  process.exit(1);
}
console.log('0 mismatches.');
