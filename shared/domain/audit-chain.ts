/**
 * Tamper evidence for the audit trail (pure). Every audit record belongs to one chain (the object it is
 * about, `AUDIT#{chainId}`) and carries its position in that chain (`seq`, 1, 2, …), the hash of its
 * predecessor and its own hash over (chainId, prevHash, record). Editing a record breaks its own hash;
 * deleting one leaves a gap in `seq` and a successor whose prevHash points at nothing; moving one makes
 * its prevHash point at a record that is somewhere else in the chain.
 *
 * The position is deliberately not hashed: a record's place is proven by the link from its successor,
 * which is how a reordering is told apart from an edit.
 *
 * What it cannot show on its own: someone with write access to the table who rewrites a chain from the
 * edit to its end, head included, with freshly computed hashes. Anchoring the heads outside the table
 * (README, "Audit history") is the answer to that.
 */
import { createHash } from 'node:crypto';

export interface ChainLink {
  seq: number;
  prevHash: string | null;
  hash: string;
}

/** The chain's last link, as its head item holds it; absent for a chain with no chained record yet. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** JSON with object keys sorted at every level, so equal records hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function recordHash(chainId: string, prevHash: string | null, record: unknown): string {
  return createHash('sha256').update(canonicalJson({ chainId, prevHash, record })).digest('hex');
}

/** The link a new record gets when it is appended after `head`. */
export function nextLink(chainId: string, head: ChainHead | undefined, record: unknown): ChainLink {
  const prevHash = head?.hash ?? null;
  return { seq: (head?.seq ?? 0) + 1, prevHash, hash: recordHash(chainId, prevHash, record) };
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

/** A stored record as the verifier sees it: its link (absent on records written before chaining) and content. */
export interface StoredRecord {
  id: string;
  sortKey: string;
  link?: { seq: number; prevHash: string | null; hash: string };
  record: { id?: unknown; activityDateTime?: unknown } & Record<string, unknown>;
}

export type FindingKind = 'changed' | 'deleted' | 'reordered' | 'inserted';

export interface Finding {
  kind: FindingKind;
  /** The record that was changed or moved, or the one after the gap for a deletion (null: the chain's end). */
  recordId: string | null;
  /** The chain position concerned (for a deletion, the first missing one). */
  seq: number;
  detail: string;
}

export interface ChainReport {
  chainId: string;
  /** Records that carry a link, and were checked. */
  chained: number;
  /**
   * Records with no link dated before the chain's first record: written before chaining began, so nothing
   * to check. One with no link dated after it cannot be legacy (every writer links since) and is reported
   * as `inserted`.
   */
  unchainedLegacy: number;
  /** Chain positions before the first present record, expired by the retention setting (only when it is set). */
  expired: number;
  headSeq: number | null;
  /** The first problem in chain order, or null when the chain is intact. */
  firstFinding: Finding | null;
}

interface Checked {
  id: string;
  sortKey: string;
  seq: number;
  prevHash: string | null;
  hash: string;
  /** The stored hash matches the content, and the key matches the record's own time and id. */
  selfOk: boolean;
  selfDetail: string;
}

/**
 * Streams a chain's records in (any) order and checks them. Only each record's link and the verdict on
 * its content are kept, not the records, so a long chain costs a few hundred bytes a record.
 */
export class ChainVerifier {
  private readonly checked: Checked[] = [];
  private readonly unlinked: { id: string; sortKey: string }[] = [];

  constructor(
    private readonly chainId: string,
    /** Gaps at the start of a chain are expiry, not deletion, when records expire (retention is set). */
    private readonly retentionSet = false,
  ) {}

  add(stored: StoredRecord): void {
    if (!stored.link) {
      this.unlinked.push({ id: stored.id, sortKey: stored.sortKey });
      return;
    }
    const { seq, prevHash, hash } = stored.link;
    const recomputed = recordHash(this.chainId, prevHash, stored.record);
    const expectedKey = `${String(stored.record.activityDateTime)}#${String(stored.record.id)}`;
    const selfOk = recomputed === hash && expectedKey === stored.sortKey && stored.record.id === stored.id;
    const selfDetail = recomputed !== hash ? 'its content no longer matches its hash' : 'its key no longer matches its own time and id';
    this.checked.push({ id: stored.id, sortKey: stored.sortKey, seq, prevHash, hash, selfOk, selfDetail });
  }

  report(head: ChainHead | undefined): ChainReport {
    // Records past the head were appended after it was read (the head is read first): the next run checks them.
    const records = this.checked.filter((r) => !head || r.seq <= head.seq).sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1));
    const chainStart = this.checked.reduce<string | undefined>((min, r) => (min === undefined || r.sortKey < min ? r.sortKey : min), undefined);
    const inserted = chainStart === undefined ? [] : this.unlinked.filter((u) => u.sortKey > chainStart).sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
    const base = { chainId: this.chainId, chained: records.length, unchainedLegacy: this.unlinked.length - inserted.length, headSeq: head?.seq ?? null };
    const first = records[0];
    const expired = this.retentionSet && first && first.seq > 1 ? first.seq - 1 : 0;
    return { ...base, expired, firstFinding: this.firstFinding(records, head, expired) ?? this.insertion(inserted[0], records, chainStart) };
  }

  /** A record with no link among linked ones was put there by someone writing the table, not by Stint. */
  private insertion(record: { id: string; sortKey: string } | undefined, records: Checked[], chainStart: string | undefined): Finding | null {
    if (!record || chainStart === undefined) return null;
    const after = records.filter((r) => r.sortKey < record.sortKey).length;
    const at = (key: string) => key.slice(0, key.lastIndexOf('#'));
    return {
      kind: 'inserted',
      recordId: record.id,
      seq: after + 1,
      detail: `it has no chain link, yet it is dated ${at(record.sortKey)}, after the chain began (${at(chainStart)}); every record written since then is linked`,
    };
  }

  private firstFinding(records: Checked[], head: ChainHead | undefined, expired: number): Finding | null {
    const byHash = new Map(records.map((r) => [r.hash, r]));
    let previous: Checked | undefined;
    for (const current of records) {
      const expectedSeq = previous ? previous.seq + 1 : expired + 1;
      // The first kept record after expired ones links to a record that is gone by design.
      const anchorOnly = !previous && expired > 0;
      const linked = anchorOnly || current.prevHash === (previous?.hash ?? null);
      if (previous && current.seq === previous.seq) {
        return { kind: 'reordered', recordId: current.id, seq: current.seq, detail: `two records claim position ${current.seq}` };
      }
      if (!linked) {
        const realPredecessor = current.prevHash === null ? undefined : byHash.get(current.prevHash);
        if (realPredecessor && realPredecessor !== previous) {
          return {
            kind: 'reordered',
            recordId: current.id,
            seq: current.seq,
            detail: `it follows record ${realPredecessor.id} (position ${realPredecessor.seq}) by its hash, not the record at position ${expectedSeq - 1}`,
          };
        }
        if (current.seq > expectedSeq) {
          return {
            kind: 'deleted',
            recordId: current.id,
            seq: expectedSeq,
            detail: `position ${expectedSeq}${current.seq - 1 > expectedSeq ? `–${current.seq - 1}` : ''} is missing before record ${current.id}`,
          };
        }
        if (previous && previous.selfOk) {
          return {
            kind: 'changed',
            recordId: previous.id,
            seq: previous.seq,
            detail: 'its hash differs from the one its successor recorded (it was rewritten with a new hash)',
          };
        }
      }
      if (!current.selfOk) return { kind: 'changed', recordId: current.id, seq: current.seq, detail: current.selfDetail };
      if (current.seq > expectedSeq) {
        return {
          kind: 'reordered',
          recordId: current.id,
          seq: current.seq,
          detail: `it is linked to its predecessor but claims position ${current.seq}, not ${expectedSeq}`,
        };
      }
      previous = current;
    }
    const last = previous;
    if (head && (!last || head.seq > last.seq)) {
      const missing = (last?.seq ?? expired) + 1;
      return {
        kind: 'deleted',
        recordId: null,
        seq: missing,
        detail: `the chain's head says it has ${head.seq} records; from position ${missing} on they are missing`,
      };
    }
    if (head && last && head.hash !== last.hash) {
      return { kind: 'changed', recordId: last.id, seq: last.seq, detail: "its hash differs from the one the chain's head recorded" };
    }
    if (!head && last) {
      return { kind: 'deleted', recordId: null, seq: last.seq + 1, detail: "the chain's head item is missing" };
    }
    return null;
  }
}
