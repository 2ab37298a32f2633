import { z } from 'zod';
import { InvalidInputError, joinKey, type ArtifactStore } from '@ares/data';

/**
 * The model registry of one (symbol, interval), shared by every worker and machine through the
 * artifact store: an append-only log of events `registry/<symbol>/<interval>/events/<seq>.json`.
 * Each event is created with `putIfAbsent` at the sequence number after the head the writer read,
 * so of racing writers exactly one appends each event (compare-and-swap): two runs finishing at
 * once can never both become champion, and the log can never be corrupted by a lost update. The
 * state (champion, history) is the fold of the log; nothing is ever rewritten.
 */

export const RegistryEventSchema = z.strictObject({
  seq: z.number().int().min(1),
  /** ISO time of the append. */
  at: z.string(),
  kind: z.enum(['promote', 'rollback']),
  /** The run that becomes champion (for a rollback: the one restored). */
  runId: z.string().min(1),
  /** Key of that run's manifest (the lineage). */
  manifestKey: z.string().min(1),
  bundleKey: z.string().optional(),
  /** The champion it replaces, if any. */
  previous: z.string().optional(),
  reasons: z.array(z.string()),
  /** Who appended it: a workflow id, or `cli:<user>` for manual promote/rollback. */
  actor: z.string(),
  note: z.string().optional(),
  /** Headline out-of-sample metrics at the time (for `ares registry show`). */
  metrics: z.record(z.string(), z.number().nullable()).default({}),
});
export type RegistryEvent = z.output<typeof RegistryEventSchema>;
export type RegistryEventInput = Omit<z.input<typeof RegistryEventSchema>, 'seq' | 'at'>;

export interface RegistryState {
  symbol: string;
  interval: string;
  /** Sequence number of the last event (0: empty registry). */
  head: number;
  /** The promote that made the current champion. */
  champion?: RegistryEvent;
  events: RegistryEvent[];
  /** Champions' promote events, oldest first; the last is the champion. */
  stack: RegistryEvent[];
}

/** Thrown when another writer appended first: re-read the state and decide again. */
export class RegistryConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryConflictError';
  }
}

export class ModelRegistry {
  private constructor(private readonly store: ArtifactStore, readonly symbol: string, readonly interval: string) {}

  static of(store: ArtifactStore, symbol: string, interval: string): ModelRegistry {
    return new ModelRegistry(store, symbol, interval);
  }

  /** All registries in the store, as [symbol, interval]. */
  static async list(store: ArtifactStore): Promise<[string, string][]> {
    const keys = await store.list('registry/');
    const seen = new Set<string>();
    for (const k of keys) {
      const [, symbol, interval] = k.split('/');
      if (symbol && interval) seen.add(`${symbol}/${interval}`);
    }
    return [...seen].sort().map((s) => s.split('/') as [string, string]);
  }

  get prefix(): string {
    return joinKey('registry', this.symbol, this.interval, 'events');
  }

  /**
   * The log folded. Champions form a stack: a promote pushes its run, a rollback pops the current
   * champion and restores the one below it (the event names it), so repeated rollbacks walk back
   * through the promotion history instead of flipping between two runs.
   */
  async state(): Promise<RegistryState> {
    const keys = (await this.store.list(`${this.prefix}/`)).filter((k) => k.endsWith('.json')).sort();
    const events: RegistryEvent[] = [];
    const stack: RegistryEvent[] = [];
    for (const key of keys) {
      const parsed = RegistryEventSchema.safeParse(JSON.parse(Buffer.from(await this.store.get(key)).toString()));
      if (!parsed.success) throw new InvalidInputError(`registry event ${key}: field '${parsed.error.issues[0]!.path.join('.')}': ${parsed.error.issues[0]!.message}`);
      const e = parsed.data;
      if (e.seq !== events.length + 1) throw new InvalidInputError(`registry event ${key}: seq ${e.seq}, expected ${events.length + 1} (the log has a gap)`);
      events.push(e);
      if (e.kind === 'promote') stack.push(e);
      else {
        stack.pop();
        if (stack.at(-1)?.runId !== e.runId) throw new InvalidInputError(`registry event ${key}: rollback to '${e.runId}', but the champion below is '${stack.at(-1)?.runId ?? 'none'}'`);
      }
    }
    const champion = stack.at(-1);
    return { symbol: this.symbol, interval: this.interval, head: events.length, events, stack, ...(champion ? { champion } : {}) };
  }

  /**
   * Appends an event after `expectedHead` (the head the caller decided on). Throws
   * RegistryConflictError when another writer appended first; nothing is written then.
   */
  async append(expectedHead: number, event: RegistryEventInput, now = new Date()): Promise<RegistryEvent> {
    const full = RegistryEventSchema.parse({ ...event, seq: expectedHead + 1, at: now.toISOString() });
    const key = joinKey(this.prefix, `${String(full.seq).padStart(8, '0')}.json`);
    const written = await this.store.putIfAbsent(key, JSON.stringify(full, null, 1));
    if (!written) throw new RegistryConflictError(`registry ${this.symbol} ${this.interval}: event ${full.seq} was appended by another writer`);
    return full;
  }

  /** The champion a rollback restores (the one below the current champion), or undefined. */
  static previousChampion(state: RegistryState): RegistryEvent | undefined {
    return state.stack.at(-2);
  }
}
