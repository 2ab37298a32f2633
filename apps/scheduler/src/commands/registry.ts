import { userInfo } from 'node:os';
import { createArtifactStore, joinKey, type ArtifactStore } from '@ares/data';
import { ModelRegistry, RegistryConflictError, type RegistryEvent } from '@ares/validation';
import { CliError, table, UsageError } from '../format';

/**
 * `ares registry list|show|promote|rollback`: the champion of each (symbol, interval) and its
 * history, from the shared registry in the artifact store. Manual promotions and rollbacks append
 * an event with the note and who made it, like the pipeline's promotions (compare-and-swap).
 */
async function withStore<T>(fn: (store: ArtifactStore) => Promise<T>): Promise<T> {
  const store = await createArtifactStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(3));
const actor = () => `cli:${userInfo().username}`;

export async function registryList(out: (line: string) => void = console.log): Promise<number> {
  return withStore(async (store) => {
    const rows: (string | number)[][] = [];
    for (const [symbol, interval] of await ModelRegistry.list(store)) {
      const s = await ModelRegistry.of(store, symbol, interval).state();
      rows.push([symbol, interval, s.champion?.runId ?? '-', s.champion?.at ?? '-', num(s.champion?.metrics.sharpe), s.head]);
    }
    out(rows.length ? table(['SYMBOL', 'INTERVAL', 'CHAMPION', 'SINCE', 'OOS SHARPE', 'EVENTS'], rows) : `no registry in ${store.url}`);
    return rows.length;
  });
}

export async function registryShow(o: { symbol: string; interval: string; json?: boolean }, out: (line: string) => void = console.log): Promise<RegistryEvent[]> {
  return withStore(async (store) => {
    const s = await ModelRegistry.of(store, o.symbol, o.interval).state();
    if (o.json) {
      out(JSON.stringify(s, null, 2));
      return s.events;
    }
    out(`registry ${o.symbol} ${o.interval} in ${store.url}: ${s.head} event(s)`);
    out(s.champion ? `champion ${s.champion.runId} since ${s.champion.at} (event ${s.champion.seq}); manifest ${s.champion.manifestKey}` : 'champion none');
    if (s.events.length) {
      out(table(['SEQ', 'AT', 'KIND', 'RUN', 'REPLACES', 'ACTOR', 'OOS SHARPE', 'DSR', 'PBO', 'REASONS / NOTE'], s.events.map((e) => [
        e.seq, e.at, e.kind, e.runId, e.previous ?? '-', e.actor, num(e.metrics.sharpe), num(e.metrics.dsr), num(e.metrics.pbo), [...e.reasons, ...(e.note ? [`note: ${e.note}`] : [])].join(' | '),
      ])));
    }
    return s.events;
  });
}

/** Manual promotion of a published run (its manifest must exist): recorded with the note. */
export async function registryPromote(o: { symbol: string; interval: string; run: string; note: string }, out: (line: string) => void = console.log): Promise<RegistryEvent> {
  if (!o.note?.trim()) throw new UsageError('registry promote needs --note "<why>" (it is recorded)');
  return withStore(async (store) => {
    const manifestKey = o.run.endsWith('manifest.json') ? o.run : joinKey('runs', o.symbol, o.interval, o.run, 'manifest.json');
    if (!(await store.exists(manifestKey))) throw new CliError(`no published run '${o.run}' for ${o.symbol} ${o.interval}: ${manifestKey} does not exist (a run is published by step 9)`);
    const manifest = JSON.parse(Buffer.from(await store.get(manifestKey)).toString()) as { runKey: string; lineage?: { bundle?: string }; metrics?: { outOfSample?: { sharpe?: number | null } } };
    const registry = ModelRegistry.of(store, o.symbol, o.interval);
    const s = await registry.state();
    if (s.champion?.runId === manifest.runKey) throw new CliError(`${manifest.runKey} is already the champion of ${o.symbol} ${o.interval}`);
    const event = await appendOrExplain(() => registry.append(s.head, {
      kind: 'promote', runId: manifest.runKey, manifestKey, ...(manifest.lineage?.bundle ? { bundleKey: manifest.lineage.bundle } : {}),
      ...(s.champion ? { previous: s.champion.runId } : {}), reasons: ['manual promotion'], actor: actor(), note: o.note,
      metrics: { sharpe: manifest.metrics?.outOfSample?.sharpe ?? null },
    }));
    out(`promoted ${event.runId} to champion of ${o.symbol} ${o.interval} (event ${event.seq}${event.previous ? `, replaces ${event.previous}` : ''})`);
    return event;
  });
}

/** Restores the champion before the current one (walks back one promotion per call). */
export async function registryRollback(o: { symbol: string; interval: string; note: string }, out: (line: string) => void = console.log): Promise<RegistryEvent> {
  if (!o.note?.trim()) throw new UsageError('registry rollback needs --note "<why>" (it is recorded)');
  return withStore(async (store) => {
    const registry = ModelRegistry.of(store, o.symbol, o.interval);
    const s = await registry.state();
    if (!s.champion) throw new CliError(`${o.symbol} ${o.interval} has no champion to roll back`);
    const restore = ModelRegistry.previousChampion(s);
    if (!restore) throw new CliError(`${o.symbol} ${o.interval}: champion ${s.champion.runId} is the first one; there is nothing to roll back to`);
    const event = await appendOrExplain(() => registry.append(s.head, {
      kind: 'rollback', runId: restore.runId, manifestKey: restore.manifestKey, ...(restore.bundleKey ? { bundleKey: restore.bundleKey } : {}),
      previous: s.champion!.runId, reasons: [`manual rollback from ${s.champion!.runId}`], actor: actor(), note: o.note, metrics: restore.metrics,
    }));
    out(`rolled back ${o.symbol} ${o.interval}: champion is ${event.runId} again (event ${event.seq}, replaces ${event.previous})`);
    return event;
  });
}

async function appendOrExplain(fn: () => Promise<RegistryEvent>): Promise<RegistryEvent> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RegistryConflictError) throw new CliError(`${err.message}; nothing was written — look again with 'ares registry show' and retry`);
    throw err;
  }
}
