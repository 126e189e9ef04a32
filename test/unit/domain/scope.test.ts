import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../shared/domain/errors.ts';
import { isResourceScope, normalizeScope, scopeAncestry, scopeContains, scopeKey } from '../../../shared/domain/scope.ts';

describe('normalizeScope', () => {
  it.each([
    ['/', '/'],
    [' / ', '/'],
    ['/subscriptions/s1', '/subscriptions/s1'],
    ['/subscriptions/s1/', '/subscriptions/s1'],
    ['/subscriptions/s1//', '/subscriptions/s1'],
    ['/Subscriptions/S1/resourceGroups/RG', '/Subscriptions/S1/resourceGroups/RG'],
    ['/administrativeUnits/au-1', '/administrativeUnits/au-1'],
    ['/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app(1)', '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app(1)'],
    ['/providers/Microsoft.Management/managementGroups/mg1', '/providers/Microsoft.Management/managementGroups/mg1'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeScope(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['relative', 'subscriptions/s1'],
    ['an odd-length resource path', '/subscriptions'],
    ['an odd-length resource path below', '/subscriptions/s1/resourceGroups'],
    ['an empty segment inside', '/subscriptions//s1'],
    ['a space', '/subscriptions/s 1'],
    ['a query', '/subscriptions/s1?x=1'],
    ['a nested administrative unit', '/administrativeUnits/au1/users/u1'],
    ['a bare administrative unit', '/administrativeUnits'],
    ['more than 16 segments', `/${Array.from({ length: 18 }, (_, i) => `s${i}`).join('/')}`],
  ])('refuses %s with InvalidScope', (_name, input) => {
    expect(() => normalizeScope(input)).toThrow(expect.objectContaining({ constructor: BadRequestError, code: 'InvalidScope' }));
  });
});

describe('scopeKey', () => {
  it.each([
    ['/', '/'],
    ['/Subscriptions/S1/ResourceGroups/RG/', '/subscriptions/s1/resourcegroups/rg'],
    ['/administrativeUnits/AU1', '/administrativeunits/au1'],
  ])('%j → %j', (input, expected) => {
    expect(scopeKey(input)).toBe(expected);
  });
});

describe('scopeContains(outer, inner)', () => {
  it.each([
    ['/', '/', true],
    ['/', '/subscriptions/s1', true],
    ['/', '/administrativeUnits/au1', true],
    ['/subscriptions/s1', '/subscriptions/s1', true],
    ['/subscriptions/s1', '/subscriptions/s1/resourceGroups/rg', true],
    ['/subscriptions/s1', '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm', true],
    ['/subscriptions/s1', '/SUBSCRIPTIONS/S1/resourceGroups/rg', true],
    ['/Subscriptions/S1/', '/subscriptions/s1', true],
    ['/subscriptions/s1', '/subscriptions/s10', false],
    ['/subscriptions/s1', '/subscriptions/s10/resourceGroups/rg', false],
    ['/subscriptions/s1', '/subscriptions/s2', false],
    ['/subscriptions/s1', '/', false],
    ['/subscriptions/s1/resourceGroups/rg', '/subscriptions/s1', false],
    ['/subscriptions/s1/resourceGroups/rg', '/subscriptions/s1/resourceGroups/rg2', false],
    ['/administrativeUnits/au1', '/administrativeUnits/au1', true],
    ['/administrativeUnits/au1', '/administrativeUnits/au10', false],
    ['/administrativeUnits/au1', '/', false],
  ])('%j contains %j: %s', (outer, inner, expected) => {
    expect(scopeContains(outer, inner)).toBe(expected);
  });
});

describe('scopeAncestry', () => {
  it.each([
    ['/', ['/']],
    ['/subscriptions/s1', ['/subscriptions/s1', '/subscriptions', '/']],
    [
      '/subscriptions/s1/resourceGroups/rg/',
      ['/subscriptions/s1/resourceGroups/rg', '/subscriptions/s1/resourceGroups', '/subscriptions/s1', '/subscriptions', '/'],
    ],
    ['/administrativeUnits/au1', ['/administrativeUnits/au1', '/administrativeUnits', '/']],
  ])('%j → nearest first, ending with /', (scope, expected) => {
    expect(scopeAncestry(scope)).toEqual(expected);
  });
});

describe('isResourceScope', () => {
  it.each([
    ['/', false],
    ['/administrativeUnits/au1', false],
    ['/subscriptions/s1', true],
    ['/SUBSCRIPTIONS/s1/resourceGroups/rg', true],
    ['/providers/Microsoft.Management/managementGroups/mg1', true],
  ])('%j: %s', (scope, expected) => {
    expect(isResourceScope(scope)).toBe(expected);
  });
});
