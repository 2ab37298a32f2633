/**
 * The new user's flow on a non-default data dir and ports, through the real `infra/dev.sh` and
 * `bin/ares.js` from another working directory: up → env → doctor → train-model → analyze → runs
 * list. The CLI and the workers must agree on the store and the task queue (one profile), and
 * `ares doctor` must say so — and say when they do not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, withTempDir } from '@ares/data/testing';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'apps', 'scheduler', 'bin', 'ares.js');
// The jest process's own settings must not leak into the user's shell.
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEMPORAL_|AWS_|ARES_(ARTIFACTS|S3_|TASK_QUEUE|DATA_DIR|ENV_FILE|WORKERS|TEMPORAL|MINIO))/.test(k)));

function run(cmd: string, args: string[], env: Record<string, string | undefined>, cwd: string, timeout = 300_000) {
  const r = spawnSync(cmd, args, { cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

test('dev.sh up on a non-default data dir → env → doctor → train-model → analyze → runs list, from another directory', async () => {
  await withTempDir(async (dir) => {
    const data = join(dir, 'data');
    const cwd = join(dir, 'elsewhere');
    mkdirSync(cwd);
    const ports = { ARES_TEMPORAL_PORT: await freePort(), ARES_TEMPORAL_UI_PORT: await freePort(), ARES_MINIO_PORT: await freePort(), ARES_MINIO_CONSOLE_PORT: await freePort() };
    const stack = { ...clean, ARES_DATA_DIR: data, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    const dev = (...args: string[]) => run('bash', [join(root, 'infra', 'dev.sh'), ...args], stack, root);
    try {
      const up = dev('up', '--workers', '1');
      expect({ code: up.code, err: up.code === 0 ? '' : up.err.slice(-2000) }).toEqual({ code: 0, err: '' });
      expect(up.out).toContain(`export ARES_ENV_FILE=${data}/ares.env`);

      // eval "$(bash infra/dev.sh env)"
      const exported = Object.fromEntries([...dev('env').out.matchAll(/^export (\w+)=(\S*)$/gm)].map((m) => [m[1]!, m[2]!]));
      expect(exported).toMatchObject({ TEMPORAL_ADDRESS: `127.0.0.1:${ports.ARES_TEMPORAL_PORT}`, ARES_ARTIFACTS: `file://${data}/artifacts`, ARES_TASK_QUEUE: 'ares-pipeline' });
      const shell = { ...clean, ...exported };
      const ares = (args: string[], env = shell) => run(process.execPath, [bin, ...args], env, cwd);

      const doctor = ares(['doctor']);
      expect({ code: doctor.code, fails: doctor.out.split('\n').filter((l) => l.startsWith('FAIL') || l.startsWith('      fix')) }).toEqual({ code: 0, fails: [] });
      expect(doctor.out).toMatch(new RegExp(`OK    workers +1 worker\\(s\\) poll 'ares-pipeline' and 1 'ares-pipeline-training', all writing to file://${data}/artifacts`));

      const trained = ares(['train-model', '--symbol', 'BTCUSDT', '--interval', '1h', '--bars', '2000', '--seed', '3', '--model', 'xgboost', '--skip-tuning']);
      expect({ code: trained.code, err: trained.code === 0 ? '' : trained.err }).toEqual({ code: 0, err: '' });
      const bundle = trained.out.match(/^bundle {3}(\S+)$/m)![1]!;
      const analyzed = ares(['analyze', '--model', bundle, '--out', join(cwd, 'report.html')]);
      expect({ code: analyzed.code, err: analyzed.err }).toEqual({ code: 0, err: '' });
      expect(existsSync(join(cwd, 'report.html'))).toBe(true);
      const listed = ares(['runs', 'list', '--symbol', 'BTCUSDT', '--json']);
      expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ type: 'trainModel', status: 'COMPLETED', symbol: 'BTCUSDT', seed: 42 })]);
      // Nothing was written relative to the working directory (no stray .data/).
      expect(readdirSync(cwd).sort()).toEqual(['report.html', 'report.metrics.json']);

      // The profile file instead of the exports gives the same answers.
      const viaFile = ares(['doctor'], { ...clean, ARES_ENV_FILE: join(data, 'ares.env') });
      expect(viaFile.code).toBe(0);

      // Mismatches are named: another store, another task queue.
      const otherStore = ares(['doctor'], { ...shell, ARES_ARTIFACTS: `file://${dir}/other` });
      expect(otherStore.code).toBe(1);
      expect(otherStore.out).toMatch(new RegExp(`FAIL  workers +worker\\(s\\) \\S+ poll 'ares-pipeline' but write to another artifact store than file://${dir}/other`));
      const otherQueue = ares(['doctor'], { ...shell, ARES_TASK_QUEUE: 'elsewhere' });
      expect(otherQueue.code).toBe(1);
      expect(otherQueue.out).toContain("FAIL  workers                no worker polls task queue 'elsewhere' in namespace 'default' (runs would wait forever)");
    } finally {
      dev('down');
    }
  });
}, 900_000);
