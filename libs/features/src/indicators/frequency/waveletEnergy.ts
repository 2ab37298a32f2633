import { nans } from '../../core/rolling';
import { InvalidFeatureParamsError } from '../../errors';
import { WINDOW_USABLE, windowScreen } from './windowScreen';

export const WAVELETS = ['haar', 'db2'] as const;
export type WaveletName = (typeof WAVELETS)[number];

/**
 * Decomposition filters exactly as PyWavelets 1.8 holds them (`pywt.Wavelet(name).dec_lo/dec_hi`);
 * db2 is Daubechies' 4-tap filter with two vanishing moments.
 */
interface Filter {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

const FILTERS: Record<WaveletName, Filter> = {
  haar: { lo: [0.7071067811865476, 0.7071067811865476], hi: [-0.7071067811865476, 0.7071067811865476] },
  db2: {
    lo: [-0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416],
    hi: [-0.48296291314453416, 0.8365163037378079, -0.2241438680420134, -0.12940952255126037],
  },
};

/** Energy shares of one rolling decomposition: details[j - 1] is level j (d1 finest), approx is a_L. */
export interface WaveletEnergyShares {
  details: Float64Array[];
  approx: Float64Array;
}

/** Why `window` and `levels` cannot go together (and which one to blame), or undefined when they can. */
export function waveletWindowProblem(window: number, levels: number): { field: 'window' | 'levels'; message: string } | undefined {
  if (!Number.isInteger(window) || window < 2 || window > 4096 || (window & (window - 1)) !== 0) return { field: 'window', message: `window must be a power of two in [2, 4096]; got ${window}` };
  if (!Number.isInteger(levels) || levels < 1) return { field: 'levels', message: `levels must be an integer >= 1; got ${levels}` };
  if (2 ** levels > window) return { field: 'levels', message: `levels ${levels} needs window >= 2^levels = ${2 ** levels}; got window ${window}` };
  return undefined;
}

/**
 * Rolling multi-level discrete wavelet energy shares of `x` over windows of `window` values (the
 * window ending at t holds x[t - W + 1..t]).
 *
 * Conventions, matching `pywt.wavedec(w - w.mean(), wavelet, mode='periodization', level=levels)`
 * on every window w:
 * - each window is demeaned (the mean would otherwise sit in a_L as drift energy);
 * - periodization: the window is treated as circular, every level halves the length exactly, and
 *   the transform stays orthogonal, so the energies add up to Σ (w - mean)²;
 * - PyWavelets' alignment: c[i] = Σ_j f[j] · w[(2i + L/2 - j) mod n] for a filter of L taps;
 * - share of level j = Σ d_j² / (Σ_j Σ d_j² + Σ a_L²): the d_1..d_L and a_L shares sum to 1;
 * - NaN when the window holds a non-finite value or all its values are equal (no energy).
 */
export function waveletEnergyShares(x: Float64Array, window: number, wavelet: WaveletName, levels: number): WaveletEnergyShares {
  const problem = waveletWindowProblem(window, levels);
  if (problem) throw new InvalidFeatureParamsError(`waveletEnergyShares: ${problem.message}`);
  return wavelet === 'haar' ? haarEnergyShares(x, window, levels) : db2EnergyShares(x, window, levels);
}

/**
 * Haar on power-of-two windows never wraps: a level-j coefficient only sees its own block of 2^j
 * values. So the coefficients of every block position are computed once for the whole series, and
 * a window's level-j energy is the sum of every 2^j-th squared detail from its start, W / 2^j
 * terms, which a few in-place doubling passes give for all starts at once (e[s] += e[s + span]
 * for span = 2^j, 2^{j+1}, …, W/2: O(log W) per bar instead of a transform per window).
 * The details ignore the mean (the high-pass filter sums to zero); the mean is taken out of the
 * a_L coefficients only.
 */
function haarEnergyShares(x: Float64Array, window: number, levels: number): WaveletEnergyShares {
  const n = x.length;
  const out = emptyShares(n, levels);
  const c = FILTERS.haar.lo[0]!;
  // approx[s]: level-j approximation of the block x[s..s + 2^j - 1]; windowEnergy[j - 1][s]: the
  // level-j detail energy of the window starting at s.
  let approx = x;
  const windowEnergy: Float64Array[] = [];
  for (let level = 1, half = 1; level <= levels; level++, half *= 2) {
    const next = new Float64Array(n);
    const energy = new Float64Array(n);
    for (let s = 0; s + 2 * half <= n; s++) {
      const first = approx[s]!;
      const second = approx[s + half]!;
      next[s] = c * second + c * first;
      const d = c * first - c * second;
      energy[s] = d * d;
    }
    for (let span = 2 * half; span < window; span *= 2) {
      for (let s = 0; s + span < n; s++) energy[s] = energy[s]! + energy[s + span]!;
    }
    windowEnergy.push(energy);
    approx = next;
  }
  const screen = windowScreen(x, window);
  const block = 2 ** levels;
  const approxCount = window / block;
  const energy = new Float64Array(levels + 1);
  for (let t = window - 1; t < n; t++) {
    if (screen[t] !== WINDOW_USABLE) continue;
    const a = t - window + 1;
    for (let level = 0; level < levels; level++) energy[level] = windowEnergy[level]![a]!;
    // Σ over the window = Σ a_L / 2^{L/2}; the demeaned a_L is a_L - 2^{L/2} · mean.
    let approxSum = 0;
    for (let i = 0; i < approxCount; i++) approxSum += approx[a + i * block]!;
    const offset = approxSum / approxCount;
    let approxEnergy = 0;
    for (let i = 0; i < approxCount; i++) approxEnergy += (approx[a + i * block]! - offset) ** 2;
    energy[levels] = approxEnergy;
    writeShares(out, t, energy, levels);
  }
  return out;
}

/**
 * Daubechies db2 (4 taps): the full periodized decomposition of every window, since wrap-around
 * makes the edge coefficients differ from window to window.
 */
function db2EnergyShares(x: Float64Array, window: number, levels: number): WaveletEnergyShares {
  const n = x.length;
  const out = emptyShares(n, levels);
  const screen = windowScreen(x, window);
  const buffers = [new Float64Array(window), new Float64Array(window)] as const;
  const energy = new Float64Array(levels + 1);

  for (let t = window - 1; t < n; t++) {
    if (screen[t] !== WINDOW_USABLE) continue;
    demeanInto(buffers[0], x, t - window + 1, window);
    let len = window;
    for (let level = 0; level < levels; level++) {
      energy[level] = decomposeLevelDb2(buffers[level % 2]!, buffers[(level + 1) % 2]!, len);
      len /= 2;
    }
    const approx = buffers[levels % 2]!;
    let approxEnergy = 0;
    for (let i = 0; i < len; i++) approxEnergy += approx[i]! * approx[i]!;
    energy[levels] = approxEnergy;
    writeShares(out, t, energy, levels);
  }
  return out;
}

const [L0, L1, L2, L3] = FILTERS.db2.lo as [number, number, number, number];
const [H0, H1, H2, H3] = FILTERS.db2.hi as [number, number, number, number];

/**
 * One periodized db2 level: approximations of v[0..len-1] into `next`, returns the detail energy.
 * c[i] = Σ_j f[j] · v[(2i + 2 - j) mod len]; only the edge coefficients wrap. Unrolled: twice as
 * fast as a loop over the taps.
 */
function decomposeLevelDb2(v: Float64Array, next: Float64Array, len: number): number {
  let detailEnergy = 0;
  for (let i = 0; i < len / 2; i++) {
    const top = 2 * i + 2;
    let v0: number, v1: number, v2: number, v3: number;
    if (top >= 3 && top < len) {
      v0 = v[top]!;
      v1 = v[top - 1]!;
      v2 = v[top - 2]!;
      v3 = v[top - 3]!;
    } else {
      v0 = v[wrap(top, len)]!;
      v1 = v[wrap(top - 1, len)]!;
      v2 = v[wrap(top - 2, len)]!;
      v3 = v[wrap(top - 3, len)]!;
    }
    next[i] = L0 * v0 + L1 * v1 + L2 * v2 + L3 * v3;
    const d = H0 * v0 + H1 * v1 + H2 * v2 + H3 * v3;
    detailEnergy += d * d;
  }
  return detailEnergy;
}

/** index mod len for index in [-1, len], the only indices a 4-tap level reaches (2i + 2 - j, 0 <= i < len/2). */
function wrap(index: number, len: number): number {
  return index < 0 ? index + len : index >= len ? index - len : index;
}

function emptyShares(n: number, levels: number): WaveletEnergyShares {
  return { details: Array.from({ length: levels }, () => nans(n)), approx: nans(n) };
}

function demeanInto(buf: Float64Array, x: Float64Array, start: number, W: number): void {
  let sum = 0;
  for (let j = 0; j < W; j++) sum += x[start + j]!;
  const mean = sum / W;
  for (let j = 0; j < W; j++) buf[j] = x[start + j]! - mean;
}

function writeShares(out: WaveletEnergyShares, t: number, energy: Float64Array, levels: number): void {
  let total = 0;
  for (let k = 0; k <= levels; k++) total += energy[k]!;
  if (!(total > 0)) return;
  for (let k = 0; k < levels; k++) out.details[k]![t] = energy[k]! / total;
  out.approx[t] = energy[levels]! / total;
}
