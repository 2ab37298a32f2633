import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { z } from 'zod';
import { ConfigError } from '@ares/data';

const EnvSchema = z.object({
  /** host:port of the Temporal frontend. @default 127.0.0.1:7233 */
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
  /** @default default */
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** mTLS client certificate and key (PEM file paths), e.g. for Temporal Cloud. */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  /** CA bundle for a self-signed server certificate. */
  TEMPORAL_TLS_CA: z.string().optional(),
  /** Server name override for TLS. */
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  /** API key (Temporal Cloud); implies TLS. */
  TEMPORAL_API_KEY: z.string().optional(),
  /** The pipeline task queue workers poll and runs start on (heavy work goes to `<queue>-training`). @default ares-pipeline */
  ARES_TASK_QUEUE: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . - only').default('ares-pipeline'),
  /** Web UI base, for links. @default http://127.0.0.1:8233 */
  TEMPORAL_UI_URL: z.string().default('http://127.0.0.1:8233'),
});

/** How to reach Temporal, from env. Works for the dev server, a self-hosted cluster, or Temporal Cloud. */
export interface TemporalConfig {
  address: string;
  namespace: string;
  uiUrl: string;
  /** Where runs start and workers poll (ARES_TASK_QUEUE). */
  taskQueue: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
}

export function temporalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (mTLS needs both)');
  }
  const read = (p: string, name: string) => {
    try {
      return readFileSync(p);
    } catch (err) {
      throw new ConfigError(`${name}=${p}: cannot read file`, { cause: err });
    }
  };
  const useTls = e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA || e.TEMPORAL_API_KEY;
  const tls: ConnectionOptions['tls'] = useTls
    ? {
        ...(e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY ? { clientCertPair: { crt: read(e.TEMPORAL_TLS_CERT, 'TEMPORAL_TLS_CERT'), key: read(e.TEMPORAL_TLS_KEY, 'TEMPORAL_TLS_KEY') } } : {}),
        ...(e.TEMPORAL_TLS_CA ? { serverRootCACertificate: read(e.TEMPORAL_TLS_CA, 'TEMPORAL_TLS_CA') } : {}),
        ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME } : {}),
      }
    : undefined;
  return { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, uiUrl: e.TEMPORAL_UI_URL, taskQueue: e.ARES_TASK_QUEUE, ...(tls ? { tls } : {}), ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}) };
}

/** Connects a client (the CLI's). */
export async function connectClient(config: TemporalConfig = temporalConfigFromEnv()): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: config.address,
      ...(config.tls ? { tls: config.tls } : {}),
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      connectTimeout: '5 seconds',
    });
  } catch (err) {
    // The SDK says only "Failed to connect before the deadline": name where it tried, and how.
    throw new TemporalConnectionError(`cannot connect to Temporal at ${config.address} (namespace '${config.namespace}', TLS ${config.tls ? 'on' : 'off'}${config.apiKey ? ', API key set' : ''}): ${(err as Error).message}; is the server up (bash infra/dev.sh status), and are TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_TLS_* right?`, { cause: err });
  }
  return new Client({ connection, namespace: config.namespace });
}

/** Thrown when the Temporal frontend cannot be reached: names the address, namespace and TLS setting. */
export class TemporalConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemporalConnectionError';
  }
}
