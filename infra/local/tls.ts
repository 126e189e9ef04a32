/**
 * A self-signed certificate for https://localhost. The local API is also served over HTTPS because
 * Microsoft's Graph SDK sends tokens only to https hosts (it strips Authorization for http URLs), so
 * trying Stint with the SDK needs it. The certificate is its own CA: trust it with NODE_EXTRA_CA_CERTS.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface LocalCertificate {
  key: string;
  cert: string;
  /** Where the certificate is, for NODE_EXTRA_CA_CERTS. */
  certFile: string;
  /** A throwaway folder (in-memory runs) to remove on stop. */
  temporaryDir?: string;
}

export async function localCertificate(dataDir?: string): Promise<LocalCertificate> {
  const dir = dataDir ? join(dataDir, 'tls') : join(tmpdir(), `stint-tls-${process.pid}`);
  const certFile = join(dir, 'localhost.crt');
  const keyFile = join(dir, 'localhost.key');
  if (existsSync(certFile) && existsSync(keyFile)) return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 825 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return { key: pems.private, cert: pems.cert, certFile, temporaryDir: dataDir ? undefined : dir };
}
