import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';

describe('local stack', () => {
  let stack: LocalStack;
  let api: ApiClient;
  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
  });
  afterAll(() => stack.stop());

  it('answers health without a token', async () => {
    const result = await api.call('GET', '/health');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ status: 'ok' });
  });

  it('lists the seeded users for a signed-in admin', async () => {
    const token = await api.token('admin@contoso.test');
    const result = await api.call('GET', '/v1.0/users?$top=50', { token });
    expect(result.status).toBe(200);
    expect(result.body.value).toHaveLength(10);
  });
});
