/**
 * The CLI's conventions, through the real `bin/ares.js` as a user runs it: --version, required
 * options marked in help, a usage error as one line plus a hint with exit code 2, numeric options
 * validated, a runtime failure with exit code 1 naming where it connected, a --help that loads no
 * heavy module, and a
 * clear message when dependencies are missing or stale.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '@ares/data/testing';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'apps', 'scheduler', 'bin', 'ares.js');

function ares(args: string[], env: Record<string, string> = {}, script = bin) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ares CLI conventions', () => {
  test('--version prints the version and commit; exit 0', () => {
    const r = ares(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^ares 0\.1\.0 \(([0-9a-f]{12}|unknown commit)\)$/);
  });

  test('help marks required options, and loads no command module (fast)', () => {
    const r = ares(['train-model', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--symbol <symbol> +e\.g\. BTCUSDT \(required\)/);
    expect(r.stdout).toMatch(/--interval <interval> +e\.g\. 1h \(required\)/);
    expect(r.stdout).not.toMatch(/--bars <n>.*\(required\)/);
  });

  test('building the program and printing help load none of the heavy modules (they take seconds)', () => {
    const probe = [
      "require('tsx/cjs/api').register();",
      "const { program } = require('./apps/scheduler/src/main.ts');",
      "const p = program();",
      "try { p.parse(['node', 'ares', 'train', '--help']); } catch {}",
      "console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /@temporalio[\\/]client|@duckdb|koffi|@tensorflow|@aws-sdk|[\\/]commands[\\/]/.test(k))));",
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: ares train [options]');
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([]);
  });

  test.each([
    [['train-model', '--interval', '1h'], "error: required option '--symbol <symbol>' not specified"],
    [['runs', 'list', '--limit', 'abc'], "error: option '--limit <n>' argument 'abc' is invalid. expected a positive integer."],
    [['train', '--symbol', 'BTCUSDT', '--interval', '1h', '--bars', '-5'], "error: option '--bars <n>' argument '-5' is invalid. expected a positive integer."],
    [['train', '--symbol', 'BTCUSDT', '--interval', '1h', '--signal', '2'], "error: option '--signal <x>' argument '2' is invalid. expected a number in [0, 1]."],
    [['nope'], "error: unknown command 'nope'"],
    [['predict'], 'ares: predict needs exactly one of --run <workflowId> or --model <bundle key>'],
  ])('usage error %j: one line and a hint, exit 2', (args, message) => {
    const r = ares(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(message);
    expect(lines.length).toBeLessThanOrEqual(2);
    if (lines.length === 2) expect(lines[1]).toBe("(add --help for the command's usage)");
    expect(r.stderr).not.toContain('Options:');
  });

  test('a runtime failure exits 1 and a connection error names the address, namespace and TLS', () => {
    const r = ares(['runs', 'list'], { TEMPORAL_ADDRESS: '127.0.0.1:1', TEMPORAL_NAMESPACE: 'audit' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ares: cannot connect to Temporal at 127\.0\.0\.1:1 \(namespace 'audit', TLS off\): /);
  });

  test('missing and stale dependencies are named with the command that fixes them', async () => {
    await withTempDir(async (dir) => {
      const copy = join(dir, 'apps', 'scheduler', 'bin', 'ares.js');
      mkdirSync(join(dir, 'apps', 'scheduler', 'bin'), { recursive: true });
      copyFileSync(bin, copy);
      writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}\n');
      const missing = ares(['--help'], {}, copy);
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim()).toBe(`ares: the npm dependencies are not installed: run 'bash infra/setup.sh' (or 'npm install') in ${dir}`);

      for (const m of ['tsx', 'commander']) mkdirSync(join(dir, 'node_modules', m), { recursive: true });
      writeFileSync(join(dir, 'node_modules', '.ares-lock'), '0123456789abcdef\n');
      writeFileSync(join(dir, 'node_modules', '.package-lock.json'), '{}');
      const past = new Date(Date.now() - 3_600_000);
      utimesSync(join(dir, 'node_modules', '.package-lock.json'), past, past); // installed before the lockfile changed
      const stale = ares(['--help'], {}, copy);
      expect(stale.code).toBe(1);
      expect(stale.stderr.trim()).toMatch(new RegExp(`^ares: node_modules was installed from another package-lock\\.json \\(0123456789abcdef, now [0-9a-f]{16}\\): run 'bash infra/setup\\.sh' \\(or 'npm install'\\) in ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
    });
  });
});
