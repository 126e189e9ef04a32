/** The API's errors in Graph's shape, turned into something a page can show and act on. */
export interface GraphErrorBody {
  error?: { code?: string; message?: string; details?: { code?: string; target?: string; message?: string }[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { code?: string; target?: string; message?: string }[] = [],
  ) {
    super(message);
  }
}

/** The API wants a fresh MFA sign-in (RFC 9470) before it does this. */
export class StepUpRequired extends ApiError {
  constructor(
    message: string,
    readonly maxAgeSeconds: number,
  ) {
    super(401, 'insufficient_user_authentication', message);
  }
}

/** The session ended (token expired and could not be renewed, or was refused). */
export class SignedOut extends ApiError {}

export function stepUpChallenge(header: string | null): { maxAgeSeconds: number } | undefined {
  if (!header || !/error="insufficient_user_authentication"/.test(header)) return undefined;
  const maxAge = /max_age=(\d+)/.exec(header);
  return { maxAgeSeconds: maxAge ? Number(maxAge[1]) : 0 };
}

export async function errorFrom(response: Response): Promise<ApiError> {
  let body: GraphErrorBody = {};
  try {
    body = (await response.json()) as GraphErrorBody;
  } catch {
    // Not JSON (a gateway page): the status says enough.
  }
  const message = body.error?.message ?? `The request failed (HTTP ${response.status}).`;
  const code = body.error?.code ?? `HTTP${response.status}`;
  const stepUp = response.status === 401 ? stepUpChallenge(response.headers.get('www-authenticate')) : undefined;
  if (stepUp) return new StepUpRequired(message, stepUp.maxAgeSeconds);
  if (response.status === 401) return new SignedOut(401, code, message);
  return new ApiError(response.status, code, message, body.error?.details ?? []);
}
