/**
 * The local stack mints any user's token on request (POST /local/token), so it must answer only this
 * machine. A web page elsewhere can reach localhost two ways: by DNS rebinding (its own name resolving to
 * 127.0.0.1, so the browser sends `Host: evil.example`) or by a cross-site form post (its own `Origin`, and
 * a form's content type). Both are refused here, before anything is read or minted. The OAuth endpoints
 * that take forms are the one exception to the content type rule, explained at FORM_PATHS.
 */
import { DomainError } from '../../shared/domain/errors.ts';
import { OIDC_PATHS } from './oidc/paths.ts';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The host part of a `Host` header or URL authority, without the port, lower-cased. */
function hostName(authority: string): string {
  const value = authority.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  return value.split(':')[0]!;
}

function isLoopback(authority: string): boolean {
  const name = hostName(authority);
  return LOOPBACK_NAMES.has(name) || name.endsWith('.localhost');
}

export interface LocalRequestHeaders {
  host?: string;
  origin?: string;
  'content-type'?: string;
}

/**
 * `path` matters for the content type only: the API's own routes check theirs as on AWS, and need a bearer
 * token that no form can send; the local endpoints (`/local/…`) need none, so a form must not reach them.
 */
export function assertLocalRequest(method: string, path: string, headers: LocalRequestHeaders, bodyLength: number): void {
  if (!headers.host || !isLoopback(headers.host)) {
    throw new DomainError(
      'forbidden',
      'Authorization_RequestDenied',
      `The local stack answers only requests addressed to localhost; this one was addressed to '${headers.host ?? '(no Host header)'}'. Open it as http://localhost.`,
    );
  }
  if (headers.origin !== undefined && headers.origin !== 'null' && !isLoopback(originAuthority(headers.origin))) {
    throw new DomainError(
      'forbidden',
      'Authorization_RequestDenied',
      `The local stack answers only pages served from localhost; this request came from '${headers.origin}'.`,
    );
  }
  if (headers.origin === 'null') {
    throw new DomainError(
      'forbidden',
      'Authorization_RequestDenied',
      'The local stack does not answer pages of an opaque origin (a sandboxed frame or a file).',
    );
  }
  if (method === 'POST' && path.startsWith('/local/') && (bodyLength > 0 || headers['content-type'] !== undefined) && !isJson(headers['content-type'])) {
    if (FORM_PATHS.has(path) && isForm(headers['content-type'])) return;
    throw new DomainError(
      'unsupportedMediaType',
      'UnsupportedMediaType',
      'A POST to the local stack must send its body as JSON (Content-Type: application/json).',
    );
  }
}

/**
 * The two endpoints where OAuth itself says forms: the token endpoint's grants (RFC 6749 §4.1.3, as
 * oidc-client-ts posts them) and the sign-in page's own form. A form there still mints nothing for a
 * foreign page: at /local/token a form body is only an OAuth grant, never the JSON shortcut, and needs a
 * code with its PKCE verifier or a live refresh token that such a page cannot have (nor read the answer
 * of); the sign-in form needs the id of a pending request that only the page itself shows. The Host and
 * Origin checks above apply to them as to everything else, so another site's form is refused anyway.
 */
const FORM_PATHS: ReadonlySet<string> = new Set([OIDC_PATHS.token, OIDC_PATHS.authorize]);

function isForm(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(contentType.trim());
}

function originAuthority(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType.trim());
}
