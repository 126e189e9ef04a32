import { describe, expect, it } from 'vitest';
import { canApprove } from '../../../shared/domain/principal.ts';

describe('canApprove', () => {
  it('is true only for an enabled user', () => {
    expect(canApprove({ type: 'user', accountEnabled: true })).toBe(true);
    expect(canApprove({ type: 'user', accountEnabled: false })).toBe(false);
    expect(canApprove({ type: 'servicePrincipal', accountEnabled: true })).toBe(false);
    expect(canApprove({ type: 'group', accountEnabled: true })).toBe(false);
  });
});
