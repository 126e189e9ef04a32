/**
 * Paging tokens are opaque and tamper-proof: the position is signed (HMAC-SHA256) together with the
 * listing it belongs to, so a client can neither forge a raw DynamoDB key nor replay a token from one
 * listing (or filter) on another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../domain/errors.ts';

export class PageTokens {
  /** `secret`: the key, or a reader of the current key (read at run time, it may rotate). */
  constructor(private readonly secret: string | (() => string)) {}

  encode(listing: string, position: unknown): string {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${this.sign(listing, payload)}`;
  }

  decode<T>(listing: string, token: string): T {
    const parts = token.split('.');
    const [payload, signature] = parts;
    // Exactly the two parts encode() makes: anything appended is not a token we issued.
    if (parts.length !== 2 || !payload || !signature) throw invalidToken();
    const expected = Buffer.from(this.sign(listing, payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidToken();
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
    } catch {
      throw invalidToken();
    }
  }

  private sign(listing: string, payload: string): string {
    return createHmac('sha256', typeof this.secret === 'string' ? this.secret : this.secret())
      .update(listing)
      .update('\0')
      .update(payload)
      .digest('base64url');
  }
}

function invalidToken(): BadRequestError {
  return new BadRequestError(
    'The $skiptoken is not valid for this request. Follow @odata.nextLink exactly as returned, with the same $filter.',
    'Request_InvalidSkipToken',
  );
}
