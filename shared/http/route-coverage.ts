/**
 * Every route the contracts give a Lambda must be implemented by it, and nothing else. Checked by the
 * tests (test/unit/http/contracts.test.ts) for every API function rather than at cold start: the check
 * needs every route's contract (ALL_ROUTES), which no single function should have to load.
 */
import { ALL_ROUTES } from '../contracts/routes/index.ts';
import type { BoundRoute } from './api-handler.ts';
import type { LambdaName } from './route.ts';

export function assertRouteCoverage(lambda: LambdaName, bound: readonly BoundRoute[]): void {
  const expected = ALL_ROUTES.filter((r) => r.lambda === lambda)
    .map((r) => r.id)
    .sort();
  const actual = bound.map((b) => b.spec.id).sort();
  if (expected.join() !== actual.join()) {
    throw new Error(`Lambda '${lambda}' implements [${actual.join(', ')}] but its contracts are [${expected.join(', ')}].`);
  }
}
