/**
 * Locally, an audit export is one streamed response: the server asks the audit Lambda for chunk after
 * chunk (each a complete, bounded invocation, exactly as on AWS) and writes each to the socket as it
 * comes, waiting for the client to drain it, so memory stays at one chunk however long the export.
 * Progress: the body arrives as it is produced; the trailers at the end say how many records were
 * written and that the export is complete (a response cut short has no such trailer).
 *
 * On AWS, API Gateway cannot stream a Lambda's answer, so clients follow the chunks' Link rel="next"
 * themselves (README, "Audit history"). `Stint-Export: paged` asks for that behaviour here too.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

const EXPORT_PATH = /^\/(v1\.0|beta)\/auditLogs\/directoryAudits\/export$/;
const CHUNK_HEADERS = ['link', 'stint-export-next', 'stint-export-records', 'stint-export-reached', 'stint-export-complete', 'content-length'];

export function isStreamedExport(request: IncomingMessage, path: string): boolean {
  const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
  return (
    request.method === 'GET' && EXPORT_PATH.test(path) && !query.has('$skiptoken') && String(request.headers['stint-export'] ?? '').toLowerCase() !== 'paged'
  );
}

type Invoke = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

function withSkipToken(event: APIGatewayProxyEventV2, token: string): APIGatewayProxyEventV2 {
  const query = new URLSearchParams(event.rawQueryString);
  query.set('$skiptoken', token);
  const rawQueryString = query.toString();
  return { ...event, rawQueryString, queryStringParameters: Object.fromEntries(query) };
}

const headerOf = (result: APIGatewayProxyStructuredResultV2, name: string) => {
  const value = result.headers?.[name];
  return value === undefined ? undefined : String(value);
};

export async function streamExport(invoke: Invoke, first: APIGatewayProxyEventV2, response: ServerResponse): Promise<void> {
  let result = await invoke(first);
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {})
      .filter(([name]) => !CHUNK_HEADERS.includes(name.toLowerCase()))
      .map(([k, v]) => [k, String(v)]),
  );
  // An error, or an export that fits one chunk, is answered as it is.
  if ((result.statusCode ?? 200) !== 200 || !headerOf(result, 'stint-export-next')) {
    response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    response.end(result.body ?? '');
    return;
  }
  response.writeHead(200, { ...headers, trailer: 'Stint-Export-Records, Stint-Export-Complete' });
  for (;;) {
    if (!response.write(result.body ?? '')) await once(response, 'drain');
    const next = headerOf(result, 'stint-export-next');
    if (!next) break;
    result = await invoke(withSkipToken(first, next));
    // A failure half way cannot change the status any more: cut the response, so the client sees it incomplete.
    if ((result.statusCode ?? 200) !== 200) throw new Error(`export chunk failed with ${result.statusCode}: ${result.body}`);
  }
  response.addTrailers({ 'Stint-Export-Records': headerOf(result, 'stint-export-records') ?? '0', 'Stint-Export-Complete': 'true' });
  response.end();
}
