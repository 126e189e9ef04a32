/** The bench's calls to a local stack's API, as a client would make them. */
import { DYNAMO_CALLS_HEADER, type ReportedCalls } from '../../shared/observability/dynamo-calls.ts';
import type { LocalStack } from '../../infra/local/stack.ts';

export interface Answer {
  body: any; // Graph JSON, read by field
  /** The DynamoDB calls the handler reported (only when STINT_RECORD_DYNAMO_CALLS=1). */
  reported?: ReportedCalls;
}

/** One API call; an error answer throws with its status and body. */
export async function callApi(stack: LocalStack, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  const header = response.headers.get(DYNAMO_CALLS_HEADER);
  return { body: text ? JSON.parse(text) : undefined, reported: header ? (JSON.parse(header) as ReportedCalls) : undefined };
}

/** A token from the local dev issuer, signed in with MFA. */
export async function devToken(stack: LocalStack, user: string): Promise<string> {
  const response = await fetch(`${stack.url}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, mfa: true }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
