import { z } from 'zod';
import { logReturns } from '../../core/returns';
import { col, defineFeature, type FeatureDef } from '../../featureSet/FeatureDef';
import { fftBandShares, isFftWindow } from './fftBands';
import { WAVELETS, waveletEnergyShares, waveletWindowProblem } from './waveletEnergy';

const fftBandsParams = z.object({
  /** Bars per window: a power of two in [8, 4096]. @default 64 */
  window: z
    .number({ error: 'window must be a number' })
    .refine(isFftWindow, { error: (i) => `window must be a power of two in [8, 4096] (fft.js sizes); got ${String(i.input)}` })
    .default(64),
});

/**
 * Rolling FFT band shares of log returns: how a window's variance splits between slow (periods
 * > 8 bars), medium (4-8) and fast (2-4) oscillation. See fftBandShares for the conventions.
 */
export const fftBandsFeature = defineFeature({
  name: 'fft_bands',
  group: 'frequency',
  description: 'Share of the spectral power of log returns over the last `window` bars in the low (periods > 8 bars), mid (4-8) and high (2-4) bands; window demeaned, no taper, DC dropped (fft.js).',
  params: fftBandsParams,
  requires: ['close'],
  outputs: (p) => [`fft_low_${p.window}`, `fft_mid_${p.window}`, `fft_high_${p.window}`],
  // Returns start at bar 1, so the first full window of `window` returns ends at bar `window`.
  warmup: (p) => p.window,
  compute: (input, p) => {
    const shares = fftBandShares(logReturns(col(input, 'close')), p.window);
    return [shares.low, shares.mid, shares.high];
  },
  mayBeNaN: (p) => [`fft_low_${p.window}`, `fft_mid_${p.window}`, `fft_high_${p.window}`],
});

const waveletParams = z
  .object({
    /** Bars per window: a power of two. @default 32 */
    window: z.number({ error: 'window must be a number' }).int({ error: 'window must be an integer' }).default(32),
    /** Wavelet: 'haar' or Daubechies 'db2'. @default 'haar' */
    wavelet: z.enum(WAVELETS, { error: (i) => `wavelet must be one of ${WAVELETS.join(', ')}; got ${JSON.stringify(i.input)}` }).default('haar'),
    /** Decomposition levels: 2^levels <= window. @default 3 */
    levels: z.number({ error: 'levels must be a number' }).int({ error: 'levels must be an integer' }).min(1, { error: 'levels must be >= 1' }).default(3),
  })
  .superRefine((p, ctx) => {
    const problem = waveletWindowProblem(p.window, p.levels);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });
type WaveletParams = z.output<typeof waveletParams>;

function waveletOutputs(p: WaveletParams): string[] {
  const prefix = p.wavelet === 'haar' ? 'wavelet' : `wavelet_${p.wavelet}`;
  const details = Array.from({ length: p.levels }, (_, j) => `${prefix}_d${j + 1}_${p.window}`);
  return [...details, `${prefix}_a${p.levels}_${p.window}`];
}

/**
 * Rolling wavelet energy shares of log returns per level (d1 = periods of 2-4 bars, d2 = 4-8, …,
 * a_L = the rest). Names: wavelet_d1_32 … wavelet_a3_32 for Haar, wavelet_db2_d1_32 … for db2.
 */
export const waveletEnergyFeature = defineFeature({
  name: 'wavelet_energy',
  group: 'frequency',
  description: 'Share of the energy of demeaned log returns over the last `window` bars in each detail level d1..dL and the approximation aL of a periodized discrete wavelet transform (PyWavelets wavedec, mode periodization).',
  params: waveletParams,
  requires: ['close'],
  outputs: waveletOutputs,
  warmup: (p) => p.window,
  compute: (input, p) => {
    const shares = waveletEnergyShares(logReturns(col(input, 'close')), p.window, p.wavelet, p.levels);
    return [...shares.details, shares.approx];
  },
  mayBeNaN: waveletOutputs,
});

export const FREQUENCY_FEATURES: readonly FeatureDef[] = [fftBandsFeature as FeatureDef, waveletEnergyFeature as FeatureDef];

/** The default frequency columns (7): fft_low/mid/high_64 and wavelet_d1/d2/d3/a3_32 (Haar). */
export const DEFAULT_FREQUENCY_SET: readonly { readonly name: string; readonly params: Readonly<Record<string, unknown>> }[] = [
  { name: 'fft_bands', params: { window: 64 } },
  { name: 'wavelet_energy', params: { window: 32, wavelet: 'haar', levels: 3 } },
];
