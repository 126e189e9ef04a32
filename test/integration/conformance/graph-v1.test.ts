/**
 * Every v1.0 answer of a filled stack, checked against Microsoft Graph's v1.0 schema
 * (test/conformance/graph-metadata): a new property, a wrong type or a route Graph has not got fails here,
 * naming the route, the JSON path and the rule broken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { runDueReviews } from '../../../shared/services/access-reviews/run-due.ts';
import { graphV1 } from '../../conformance/csdl.ts';
import { fillStack, httpCall, type Call, type Filled } from '../../conformance/fill.ts';
import { formatProblems, probe, type ProbeReport } from '../../conformance/probe.ts';
import { startTestStack } from '../../helpers/stack.ts';

describe('Graph v1.0 conformance', () => {
  let stack: LocalStack;
  let filled: Filled;
  let report: ProbeReport;
  let call: Call;

  beforeAll(async () => {
    stack = await startTestStack();
    call = httpCall(stack.url);
    filled = await fillStack(call, { runReviews: () => runDueReviews(stack.runtime.services) });
    report = await probe(call, filled, graphV1(), 'v1.0');
  });
  afterAll(() => stack?.stop());

  it('checks every v1.0 GET route Graph has, with values in each', () => {
    console.log(
      report.checked.length,
      report.checked.reduce((n, c) => n + c.values, 0),
    );
    console.log(report.extensionRoutes);
    console.log(
      report.checked
        .filter((c) => c.url.includes('accessReviews'))
        .map((c) => `${c.url} ${c.values}`)
        .join('\n'),
    );
    console.log(formatProblems(report.problems));
    expect(report.problems).toEqual([]);
  });
});
