import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@ares/data';
import { temporalConfigFromEnv } from './temporalConfig';

test('defaults reach the local dev server without TLS', () => {
  expect(temporalConfigFromEnv({})).toEqual({ address: '127.0.0.1:7233', namespace: 'default', uiUrl: 'http://127.0.0.1:8233', taskQueue: 'ares-pipeline' });
});

test('mTLS reads the certificate pair and the CA from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  for (const f of ['crt', 'key', 'ca']) writeFileSync(join(dir, f), `-----${f}-----`);
  const c = temporalConfigFromEnv({
    TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct',
    TEMPORAL_TLS_CERT: join(dir, 'crt'), TEMPORAL_TLS_KEY: join(dir, 'key'), TEMPORAL_TLS_CA: join(dir, 'ca'),
  });
  expect(c.address).toBe('ns.acct.tmprl.cloud:7233');
  expect(c.tls).toMatchObject({ clientCertPair: { crt: Buffer.from('-----crt-----'), key: Buffer.from('-----key-----') }, serverRootCACertificate: Buffer.from('-----ca-----') });
});

test('an API key alone turns TLS on', () => {
  expect(temporalConfigFromEnv({ TEMPORAL_API_KEY: 'k' })).toMatchObject({ apiKey: 'k', tls: {} });
});

test.each([
  [{ TEMPORAL_TLS_CERT: '/x.pem' }, /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together/],
  [{ TEMPORAL_ADDRESS: 'localhost' }, /TEMPORAL_ADDRESS="localhost": must be host:port/],
  [{ TEMPORAL_TLS_CERT: '/nonexistent.pem', TEMPORAL_TLS_KEY: '/nonexistent.key' }, /TEMPORAL_TLS_CERT=\/nonexistent\.pem: cannot read file/],
])('rejects %p with a ConfigError naming the variable', (env, message) => {
  expect(() => temporalConfigFromEnv(env)).toThrow(ConfigError);
  expect(() => temporalConfigFromEnv(env)).toThrow(message);
});

test('the task queue comes from ARES_TASK_QUEUE, and a malformed one is refused naming it', () => {
  expect(temporalConfigFromEnv({ ARES_TASK_QUEUE: 'fleet-a' }).taskQueue).toBe('fleet-a');
  expect(() => temporalConfigFromEnv({ ARES_TASK_QUEUE: 'a b' })).toThrow('ARES_TASK_QUEUE="a b": letters, digits, _ . - only');
});
