import { describe, expect, it } from 'vitest';
import { createReadiness } from '../../../infra/local/readiness.ts';

describe('createReadiness', () => {
  it('answers 503 naming the parts still starting, in start order, and 200 once all are up', () => {
    // Prepare
    const readiness = createReadiness(['https', 'email', 'background', 'seed']);

    // Act + Assess
    expect(readiness.health()).toEqual({ status: 503, body: { status: 'starting', notReady: ['https', 'email', 'background', 'seed'] } });
    readiness.ready('email');
    readiness.ready('https');
    expect(readiness.health()).toEqual({ status: 503, body: { status: 'starting', notReady: ['background', 'seed'] } });
    readiness.ready('background');
    expect(readiness.health()).toEqual({ status: 503, body: { status: 'starting', notReady: ['seed'] } });
    readiness.ready('seed');
    expect(readiness.health()).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('is ready at once when the stack starts none of the parts', () => {
    expect(createReadiness([]).health()).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
