import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../shared/domain/errors.ts';
import { PageTokens } from '../../../shared/store/page-token.ts';

const SECRET = 'test-secret-0123456789abcdef';
const LISTING = 'list:user';

function decodeError(tokens: PageTokens, listing: string, token: string): BadRequestError {
  let caught: unknown;
  try {
    tokens.decode(listing, token);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the token was accepted').toBeInstanceOf(BadRequestError);
  return caught as BadRequestError;
}

/** Replaces one character of a base64url string with another valid one. */
function flipChar(text: string, index: number): string {
  const ch = text[index]!;
  return text.slice(0, index) + (ch === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

describe('PageTokens', () => {
  it.each<[string, unknown]>([
    ['a shard cursor', ['usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C', null, 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0D', '']],
    ['an offset', 200],
    ['a DynamoDB key', { pk: 'OBJ#grp_1', sk: 'MEMBER#usr_2' }],
    ['text with non-ASCII characters', { name: 'Zoë “quoted” ✓', sep: '\u0000' }],
  ])('gives back the position when a token of %s is decoded', (_, position) => {
    // Prepare
    const tokens = new PageTokens(SECRET);

    // Act
    const token = tokens.encode(LISTING, position);

    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(tokens.decode(LISTING, token)).toEqual(position);
  });

  it('decodes a token made by another instance when both share the secret (another Lambda)', () => {
    // Prepare
    const token = new PageTokens(SECRET).encode(LISTING, ['a', 'b']);

    // Act
    const position = new PageTokens(SECRET).decode(LISTING, token);

    // Assess
    expect(position).toEqual(['a', 'b']);
  });

  it('does not show the raw key in the clear when encoded', () => {
    // Act
    const token = new PageTokens(SECRET).encode(LISTING, { pk: 'OBJ#grp_1' });

    // Assess
    expect(token).not.toContain('OBJ#');
  });

  it.each<[string, (token: string) => string]>([
    ['its payload has one character changed', (t) => flipChar(t, 2)],
    ['its signature has one character changed', (t) => flipChar(t, t.indexOf('.') + 3)],
    ['its payload is replaced by another position', (t) => `${Buffer.from(JSON.stringify(['zzz', null])).toString('base64url')}${t.slice(t.indexOf('.'))}`],
    ['its signature is cut short', (t) => t.slice(0, -2)],
    ['its signature is dropped', (t) => t.slice(0, t.indexOf('.') + 1)],
    ['its payload is dropped', (t) => t.slice(t.indexOf('.'))],
    ['a segment is appended', (t) => `${t}.AAAA`],
    ['it is repeated', (t) => `${t}${t}`],
    ['it is padded with base64 =', (t) => `${t}==`],
    ['it is empty', () => ''],
    ['it has no separator', (t) => t.replace('.', '')],
  ])('rejects a token when %s', (_, tamper) => {
    // Prepare
    const tokens = new PageTokens(SECRET);
    const token = tokens.encode(LISTING, ['usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C', null, null, null]);

    // Act
    const error = decodeError(tokens, LISTING, tamper(token));

    // Assess
    expect(error.code).toBe('Request_InvalidSkipToken');
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(/\$skiptoken is not valid/);
  });

  it('rejects a token of one listing when it is given to another listing', () => {
    // Prepare
    const tokens = new PageTokens(SECRET);
    const token = tokens.encode('list:user', ['usr_1', null, null, null]);

    // Act
    const errors = ['list:group', "filter:user:displayName eq 'x'", 'members:grp_1', 'list:use'].map((listing) => decodeError(tokens, listing, token));

    // Assess
    for (const error of errors) expect(error.code).toBe('Request_InvalidSkipToken');
  });

  it('rejects a token when the listing and payload boundary is shifted', () => {
    // Prepare: 'list:a' + 'bc…' must not sign the same as 'list:ab' + 'c…'
    const tokens = new PageTokens(SECRET);
    const token = tokens.encode('filter:user:a', 1);

    // Act
    const error = decodeError(tokens, 'filter:user:', token);

    // Assess
    expect(error.code).toBe('Request_InvalidSkipToken');
  });

  it('rejects a token when it was signed with another secret', () => {
    // Prepare
    const token = new PageTokens('another-secret').encode(LISTING, 10);

    // Act
    const error = decodeError(new PageTokens(SECRET), LISTING, token);

    // Assess
    expect(error.code).toBe('Request_InvalidSkipToken');
  });

  it('rejects a correctly signed token when its payload is not JSON', () => {
    // Prepare: forge with the secret itself, as only a leaked secret could
    const payload = Buffer.from('{not json').toString('base64url');
    const signature = createHmac('sha256', SECRET).update(LISTING).update('\0').update(payload).digest('base64url');

    // Act
    const error = decodeError(new PageTokens(SECRET), LISTING, `${payload}.${signature}`);

    // Assess
    expect(error.code).toBe('Request_InvalidSkipToken');
  });

  it('does not echo the token when it rejects one', () => {
    // Prepare
    const token = 'secret-looking-value.abc';

    // Act
    const error = decodeError(new PageTokens(SECRET), LISTING, token);

    // Assess
    expect(error.message).not.toContain('secret-looking-value');
  });
});
