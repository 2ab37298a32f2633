import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { withTempDir } from './testing';
import { toolPaths } from './tools';

const repo = join(__dirname, '..', '..', '..');

describe('the tools manifest is written atomically (infra/lib.sh ares_write_atomic)', () => {
  it('readers racing a writer that rewrites it 600 times never see a partial file', async () => {
    await withTempDir(async (dir) => {
      // Two manifests of different lengths (a shorter rewrite would show a torn read as bad JSON).
      const a = { temporal: '/t/'.padEnd(2000, 'a'), temporalVersion: '1', minio: '/m', minioVersion: '1', lightgbmLib: '/l', lightgbmVersion: '4', xgboostLib: '/x', xgboostVersion: '3', python: '/p' };
      const b = { ...a, temporal: '/t/b' };
      writeFileSync(join(dir, 'a.json'), JSON.stringify(a, null, 2));
      writeFileSync(join(dir, 'b.json'), JSON.stringify(b, null, 2));
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(a, null, 2));
      const script = `source "${repo}/infra/lib.sh"; for i in $(seq 300); do ares_write_atomic "${dir}/manifest.json" <"${dir}/a.json"; ares_write_atomic "${dir}/manifest.json" <"${dir}/b.json"; done`;
      const writer = spawn('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      writer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
      let done = false;
      void exited.then(() => (done = true));
      let reads = 0;
      const failures: string[] = [];
      const seen = new Set<string>();
      while (!done) {
        for (let i = 0; i < 50; i++) {
          reads++;
          try {
            seen.add(toolPaths({ ARES_TOOLS_DIR: dir }).temporal);
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
        await yieldLoop();
      }
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      expect(failures).toEqual([]);
      expect(reads).toBeGreaterThan(1000);
      // Both versions were read: the reads really overlapped the rewrites.
      expect(seen).toEqual(new Set([a.temporal, b.temporal]));
      console.log(`${reads} reads during 600 rewrites: ${failures.length} failed`);
    });
  }, 120_000);
});
