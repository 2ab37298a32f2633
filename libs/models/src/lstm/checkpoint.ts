import { LstmLoadError } from './errors';
import type { TrainingCheckpoint } from './trainNetwork';

const MAGIC = 'ares-lstm-checkpoint/1\n';

/**
 * A training checkpoint as bytes: MAGIC, a little-endian uint32 header length, the JSON header
 * (every scalar field, the fit's fingerprint and each array's length), padding to 4 bytes, then
 * the float32 arrays back to back. Float32 values are stored as they are, so a resumed fit
 * starts from exactly the weights the interrupted one had.
 */
export function encodeCheckpoint(cp: TrainingCheckpoint, fingerprint: string): Uint8Array {
  const arrays = [...cp.weights, ...cp.optimizer.values, ...(cp.best ?? [])];
  const { weights, best, optimizer, ...rest } = cp;
  const header = {
    ...rest, fingerprint,
    optimizer: { ...optimizer, values: undefined },
    counts: { weights: weights.length, optimizer: optimizer.values.length, best: best?.length ?? -1 },
    lengths: arrays.map((a) => a.length),
  };
  const json = Buffer.from(JSON.stringify(header));
  const start = Math.ceil((MAGIC.length + 4 + json.length) / 4) * 4;
  const out = new Uint8Array(start + arrays.reduce((n, a) => n + a.byteLength, 0));
  out.set(Buffer.from(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

/**
 * The checkpoint in `bytes`, or undefined when it belongs to another fit (options, data or code
 * changed: its fingerprint differs). Bytes that are not a checkpoint throw LstmLoadError.
 */
export function decodeCheckpoint(bytes: Uint8Array, fingerprint: string): TrainingCheckpoint | undefined {
  if (Buffer.from(bytes.subarray(0, MAGIC.length)).toString() !== MAGIC) throw new LstmLoadError('not an LSTM training checkpoint (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(MAGIC.length, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + length)).toString()) as Omit<TrainingCheckpoint, 'weights' | 'best'> & {
    fingerprint: string;
    counts: { weights: number; optimizer: number; best: number };
    lengths: number[];
  };
  if (header.fingerprint !== fingerprint) return undefined;
  let at = Math.ceil((MAGIC.length + 4 + length) / 4) * 4;
  const arrays = header.lengths.map((n) => {
    if (at + n * 4 > bytes.byteLength) throw new LstmLoadError(`LSTM training checkpoint is truncated (${bytes.byteLength} bytes)`);
    const a = new Float32Array(n);
    new Uint8Array(a.buffer).set(bytes.subarray(at, at + n * 4));
    at += n * 4;
    return a;
  });
  const { fingerprint: _f, counts, lengths: _l, ...rest } = header;
  const w = counts.weights;
  const o = counts.optimizer;
  return {
    ...rest,
    weights: arrays.slice(0, w),
    optimizer: { ...header.optimizer, values: arrays.slice(w, w + o) },
    best: counts.best < 0 ? null : arrays.slice(w + o, w + o + counts.best),
  };
}
