/**
 * The local stand-in for SES: aws-ses-v2-local, in this process, on a port of our choosing. It accepts
 * SES v2 SendEmail (point the SES client's endpoint at `url`), shows a web inbox at `url`, and lists what
 * it received at `GET {url}/store`. Its store is held per process and outlives an inbox, so each inbox lists
 * only what arrived after it started (a test file's inbox never sees an earlier file's mail in a shared worker).
 */
import type { Server } from 'node:http';
import { isPortFree } from './ports.ts';
import { StartupError } from './startup-error.ts';

export const DEFAULT_SES_PORT = 8005;

export interface InboxMessage {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Epoch seconds. */
  at: number;
}

export interface SesInbox {
  /** e.g. http://127.0.0.1:8005: the SES endpoint and the web inbox. */
  url: string;
  stop(): Promise<void>;
  messages(): Promise<InboxMessage[]>;
}

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

/** The package is CommonJS with `exports.default`; ESM sees it under `default` once or twice depending on the loader. */
async function serverFactory(): Promise<StartServer> {
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: StartServer | { default: StartServer } };
  return typeof mod.default === 'function' ? mod.default : mod.default.default;
}

export async function startSesInbox(options: { port?: number; host?: string } = {}): Promise<SesInbox> {
  const port = options.port ?? DEFAULT_SES_PORT;
  const host = options.host ?? '127.0.0.1';
  if (!(await isPortFree(port, host))) {
    throw new StartupError(`Port ${port} (the local SES inbox) is already in use.`, 'Stop whatever uses it, or choose another port.');
  }
  const server = await (await serverFactory())({ host, port });
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  const stored = async () => {
    const response = await fetch(`${url}/store`);
    if (!response.ok) throw new Error(`The SES inbox answered ${response.status} to GET /store.`);
    return ((await response.json()) as { emails: InboxMessage[] }).emails;
  };
  const before = new Set((await stored()).map((m) => m.messageId));
  return {
    url,
    async messages() {
      return (await stored()).filter((m) => !before.has(m.messageId));
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (the SES client's, a browser's) would hold close() open.
        server.closeAllConnections();
      }),
  };
}
