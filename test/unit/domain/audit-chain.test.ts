import { describe, expect, it } from 'vitest';
import { canonicalJson, ChainVerifier, nextLink, recordHash, type ChainHead, type StoredRecord } from '../../../shared/domain/audit-chain.ts';

const CHAIN = 'usr_1';

/** A chain of `n` records built the way commitChange links them, and its head. */
function chainOf(n: number): { records: StoredRecord[]; head: ChainHead } {
  const records: StoredRecord[] = [];
  let head: ChainHead | undefined;
  for (let i = 1; i <= n; i++) {
    const record = { id: `aud_${i}`, activityDateTime: `2025-01-01T00:00:0${i}.000Z`, activityDisplayName: `step ${i}` };
    const link = nextLink(CHAIN, head, record);
    records.push({ id: record.id, sortKey: `${record.activityDateTime}#${record.id}`, link, record });
    head = { seq: link.seq, hash: link.hash };
  }
  return { records, head: head! };
}

function verify(records: StoredRecord[], head: ChainHead | undefined, retention = false) {
  const verifier = new ChainVerifier(CHAIN, retention);
  // Any order in: the verifier orders by position itself.
  for (const r of [...records].reverse()) verifier.add(r);
  return verifier.report(head);
}

describe('canonicalJson', () => {
  it('sorts keys at every level so that key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(recordHash(CHAIN, null, { a: 1, b: 2 })).toBe(recordHash(CHAIN, null, { b: 2, a: 1 }));
    expect(recordHash(CHAIN, null, { a: 1 })).not.toBe(recordHash('other', null, { a: 1 }));
  });
});

describe('ChainVerifier', () => {
  it('finds nothing wrong in an intact chain', () => {
    const { records, head } = chainOf(5);
    expect(verify(records, head)).toEqual({ chainId: CHAIN, chained: 5, unchainedLegacy: 0, expired: 0, headSeq: 5, firstFinding: null });
  });

  it('reports an edited record as changed', () => {
    const { records, head } = chainOf(5);
    records[2] = { ...records[2]!, record: { ...records[2]!.record, activityDisplayName: 'something else' } };
    expect(verify(records, head).firstFinding).toMatchObject({ kind: 'changed', recordId: 'aud_3', seq: 3 });
  });

  it('reports an edited record whose hash was recomputed as changed, from its successor', () => {
    const { records, head } = chainOf(5);
    const edited = { ...records[1]!.record, activityDisplayName: 'forged' };
    records[1] = { ...records[1]!, record: edited, link: { ...records[1]!.link!, hash: recordHash(CHAIN, records[1]!.link!.prevHash, edited) } };
    expect(verify(records, head).firstFinding).toMatchObject({ kind: 'changed', recordId: 'aud_2', seq: 2 });
  });

  it('reports a record whose key was moved to another time as changed', () => {
    const { records, head } = chainOf(3);
    records[1] = { ...records[1]!, sortKey: `2030-01-01T00:00:00.000Z#aud_2` };
    expect(verify(records, head).firstFinding).toMatchObject({ kind: 'changed', recordId: 'aud_2' });
  });

  it('reports a deleted record, a deleted run and a deleted tail as deleted', () => {
    const { records, head } = chainOf(6);
    expect(
      verify(
        records.filter((r) => r.id !== 'aud_3'),
        head,
      ).firstFinding,
    ).toMatchObject({ kind: 'deleted', seq: 3, recordId: 'aud_4' });
    expect(
      verify(
        records.filter((r) => r.id !== 'aud_1'),
        head,
      ).firstFinding,
    ).toMatchObject({ kind: 'deleted', seq: 1, recordId: 'aud_2' });
    expect(verify(records.slice(0, 4), head).firstFinding).toMatchObject({ kind: 'deleted', seq: 5, recordId: null });
    expect(verify(records, undefined).firstFinding).toMatchObject({ kind: 'deleted', recordId: null, detail: expect.stringContaining('head') });
  });

  it('reports records whose positions were swapped as reordered', () => {
    const { records, head } = chainOf(5);
    const [a, b] = [records[1]!, records[2]!];
    records[1] = { ...a, link: { ...a.link!, seq: 3 } };
    records[2] = { ...b, link: { ...b.link!, seq: 2 } };
    expect(verify(records, head).firstFinding).toMatchObject({ kind: 'reordered', recordId: 'aud_3', seq: 2 });
  });

  it('reports two records at one position as reordered', () => {
    const { records, head } = chainOf(4);
    records[2] = { ...records[2]!, link: { ...records[2]!.link!, seq: 2 } };
    expect(verify(records, head).firstFinding).toMatchObject({ kind: 'reordered' });
  });

  it('reports a record without a link dated after the chain began as inserted (it cannot be legacy)', () => {
    const { records, head } = chainOf(3);
    const forged: StoredRecord = {
      id: 'aud_x',
      sortKey: '2025-01-01T00:00:02.500Z#aud_x',
      record: { id: 'aud_x', activityDateTime: '2025-01-01T00:00:02.500Z' },
    };
    expect(verify([...records, forged], head)).toMatchObject({ chained: 3, unchainedLegacy: 0, firstFinding: { kind: 'inserted', recordId: 'aud_x', seq: 3 } });
    expect(verify([...records, forged], head).firstFinding?.detail).toContain('after the chain began (2025-01-01T00:00:01.000Z)');
  });

  it('counts records without a link dated before the chain as unchained legacy, never as tampering', () => {
    const { records, head } = chainOf(3);
    const legacy: StoredRecord = {
      id: 'aud_0',
      sortKey: '2024-01-01T00:00:00.000Z#aud_0',
      record: { id: 'aud_0', activityDateTime: '2024-01-01T00:00:00.000Z' },
    };
    expect(verify([legacy, ...records], head)).toMatchObject({ chained: 3, unchainedLegacy: 1, firstFinding: null });
    expect(verify([legacy], undefined)).toMatchObject({ chained: 0, unchainedLegacy: 1, firstFinding: null });
  });

  it('treats a missing start as expired when retention is set, and as deleted when it is not', () => {
    const { records, head } = chainOf(5);
    const kept = records.slice(2);
    expect(verify(kept, head, true)).toMatchObject({ expired: 2, firstFinding: null });
    expect(verify(kept, head, false).firstFinding).toMatchObject({ kind: 'deleted', seq: 1 });
    // A gap after the start is still a deletion.
    expect(verify([records[2]!, records[4]!], head, true).firstFinding).toMatchObject({ kind: 'deleted', seq: 4 });
  });
});
