// Typechecked with the portal (web/tsconfig.json): its code needs the DOM and Vite types.
/** How the AWS accounts tab names scopes and which accounts an activation may name (pure). */
import { describe, expect, it } from 'vitest';
import { accountsFor, awsScopeName, type AwsAccount } from '../../../web/src/pages/my-roles/aws-data.ts';

const root = { id: 'r-ab12', displayName: 'Root' };
const nonProd = { id: 'ou-ab12-nonprod1', displayName: 'NonProd' };
const prodOu = { id: 'ou-ab12-prod0001', displayName: 'Prod' };
const account = (id: string, displayName: string, parents: AwsAccount['parents']): AwsAccount => ({
  id,
  displayName,
  parents,
  directoryScopeId: `/accounts/${id}`,
});
const ACCOUNTS = [
  account('111122223333', 'dev', [nonProd, root]),
  account('444455556666', 'staging', [nonProd, root]),
  account('777788889999', 'prod', [prodOu, root]),
];

describe('AWS scopes in My roles', () => {
  it('names an account by name and id, an OU by name, the root as the organization', () => {
    expect(awsScopeName('/accounts/111122223333', ACCOUNTS)).toBe('dev (111122223333)');
    expect(awsScopeName(`/ous/${nonProd.id}`, ACCOUNTS)).toBe('OU NonProd');
    expect(awsScopeName(`/ous/${root.id}`, ACCOUNTS)).toBe('Organization root');
  });

  it('falls back to the id for what the caller cannot see', () => {
    expect(awsScopeName('/accounts/999999999999', ACCOUNTS)).toBe('Account 999999999999');
    expect(awsScopeName('/ous/ou-ab12-unknown1', ACCOUNTS)).toBe('OU ou-ab12-unknown1');
  });

  it('offers the accounts below an OU, or the one account an eligibility names', () => {
    expect(accountsFor(`/ous/${nonProd.id}`, ACCOUNTS).map((a) => a.displayName)).toEqual(['dev', 'staging']);
    expect(accountsFor(`/ous/${root.id}`, ACCOUNTS)).toHaveLength(3);
    expect(accountsFor('/accounts/777788889999', ACCOUNTS).map((a) => a.displayName)).toEqual(['prod']);
  });
});
