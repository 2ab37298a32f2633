/**
 * Frequency features against numpy.fft.rfft and PyWavelets 1.8 (frequency.reference.py, one
 * window at a time) on real S&P 500 daily closes, on a damaged copy with a flat stretch, a gap
 * (NaN) and a 50-sigma jump, and on seeded closes whose volatility jumps 1000-fold every 300 bars:
 * the cases the sliding DFT between fft.js anchors has to survive.
 */
import { join } from 'node:path';
import { Rng } from '@ares/data';
import { expectSeriesClose, loadSp500, pythonReference, syntheticFeatureInput } from '../../testing';
import type { FeatureInput } from '../../series';
import { logReturns } from '../../core/returns';
import { fftBandShares } from './fftBands';
import { fftBandsFeature, waveletEnergyFeature } from './frequencyFeatures';
import { waveletEnergyShares, type WaveletName } from './waveletEnergy';

const spx = loadSp500();

/** The S&P closes with a 120-bar flat stretch, a missing close and a 50-sigma jump. */
function damaged(close: Float64Array): Float64Array {
  const c = Float64Array.from(close);
  c.fill(c[1000]!, 1000, 1120);
  c[2000] = Number.NaN;
  for (let i = 3000; i < c.length; i++) c[i] = c[i]! * Math.exp(0.5);
  return c;
}

/** 20,000 closes whose return volatility switches between 0.01 % and 10 % every 300 bars: a power ratio of 1e6 between neighbouring windows, the sliding DFT's hardest case. */
function regimes(): Float64Array {
  const rng = new Rng(5);
  let logPrice = Math.log(100);
  return Float64Array.from({ length: 20_000 }, (_, i) => Math.exp((logPrice += (Math.floor(i / 300) % 2 ? 0.1 : 1e-4) * rng.normal())));
}

const series = { spx: spx.close, damaged: damaged(spx.close), regimes: regimes() };
const FFT_WINDOWS = [64, 8, 256];
const WAVELET_CASES: [number, WaveletName, number][] = [[32, 'haar', 3], [32, 'db2', 3], [64, 'haar', 6], [64, 'db2', 4], [8, 'db2', 2]];
const ref = pythonReference(join(__dirname, 'frequency.reference.py'), { series, fft: FFT_WINDOWS, wavelet: WAVELET_CASES });

describe.each(Object.entries(series))('on %s closes', (name, close) => {
  const r = logReturns(close);

  test.each(FFT_WINDOWS)('FFT band shares over %i bars match numpy.fft.rfft', (w) => {
    const s = fftBandShares(r, w);
    expectSeriesClose(`fft_low_${w}`, s.low, ref[`${name}/fft_low_${w}`]!);
    expectSeriesClose(`fft_mid_${w}`, s.mid, ref[`${name}/fft_mid_${w}`]!);
    expectSeriesClose(`fft_high_${w}`, s.high, ref[`${name}/fft_high_${w}`]!);
  });

  test.each(WAVELET_CASES)('wavelet energy shares over %i bars (%s, %i levels) match pywt.wavedec', (w, wavelet, levels) => {
    const s = waveletEnergyShares(r, w, wavelet, levels);
    s.details.forEach((d, j) => expectSeriesClose(`${wavelet}_d${j + 1}_${w}`, d, ref[`${name}/${wavelet}_d${j + 1}_${w}_L${levels}`]!));
    expectSeriesClose(`${wavelet}_a${levels}_${w}`, s.approx, ref[`${name}/${wavelet}_a${levels}_${w}_L${levels}`]!);
  });
});

test('band shares sum to 1, and white noise puts about half its power in the high band (bins W/4+1..W/2)', () => {
  const s = fftBandShares(logReturns(spx.close), 64);
  for (let t = 64; t < spx.length; t += 97) expect(s.low[t]! + s.mid[t]! + s.high[t]!).toBeCloseTo(1, 12);
  // Daily S&P returns are close to white: mean shares near the bins' shares 8/32, 8/32, 16/32.
  const mean = (a: Float64Array) => a.slice(64).reduce((x, y) => x + y, 0) / (a.length - 64);
  expect(mean(s.high)).toBeGreaterThan(0.45);
  expect(mean(s.low)).toBeLessThan(0.3);
});

test('a pure cycle of 16 bars lands in the low band, of 5 bars in the mid band, of 3 bars in the high band', () => {
  const wave = (period: number) => Float64Array.from({ length: 300 }, (_, i) => Math.sin((2 * Math.PI * i) / period));
  expect(fftBandShares(wave(16), 64).low[299]).toBeCloseTo(1, 12);
  expect(fftBandShares(wave(5), 64).mid[299]).toBeGreaterThan(0.9);
  expect(fftBandShares(wave(3), 64).high[299]).toBeGreaterThan(0.9);
});

test('invalid windows are refused with the value named', () => {
  expect(() => fftBandShares(new Float64Array(10), 60)).toThrow(/power of two in \[8, 4096\]; got 60/);
  expect(() => waveletEnergyShares(new Float64Array(10), 32, 'haar', 6)).toThrow(/levels 6 needs window >= 2\^levels = 64; got window 32/);
});

describe('FeatureDefs', () => {
  const input: FeatureInput = syntheticFeatureInput(1200);

  test('outputs, defaults and exact warm-up (returns start at bar 1: first value at bar W)', () => {
    const fp = fftBandsFeature.params.parse({});
    expect(fftBandsFeature.outputs(fp)).toEqual(['fft_low_64', 'fft_mid_64', 'fft_high_64']);
    const wp = waveletEnergyFeature.params.parse({});
    expect(waveletEnergyFeature.outputs(wp)).toEqual(['wavelet_d1_32', 'wavelet_d2_32', 'wavelet_d3_32', 'wavelet_a3_32']);
    expect(waveletEnergyFeature.outputs(waveletEnergyFeature.params.parse({ wavelet: 'db2', window: 64, levels: 2 }))).toEqual(['wavelet_db2_d1_64', 'wavelet_db2_d2_64', 'wavelet_db2_a2_64']);
    for (const [def, p] of [[fftBandsFeature, fp], [waveletEnergyFeature, wp]] as const) {
      const outs = def.compute(input, p as never);
      const w = def.warmup(p as never);
      expect(w).toBe(p.window);
      for (const o of outs) {
        expect(o).toHaveLength(input.length);
        expect(Number.isNaN(o[w - 1]!)).toBe(true);
        expect(o.slice(w).every(Number.isFinite)).toBe(true);
      }
    }
  });

  test('no look-ahead: values on a prefix equal the full-series values', () => {
    for (const [def, p] of [[fftBandsFeature, fftBandsFeature.params.parse({})], [waveletEnergyFeature, waveletEnergyFeature.params.parse({ wavelet: 'db2' })]] as const) {
      const full = def.compute(input, p as never);
      for (const t of [64, 65, 127, 128, 129, 500, 1199]) {
        const prefix: FeatureInput = { length: t + 1, interval: input.interval, columns: { close: input.columns.close!.slice(0, t + 1) } };
        const part = def.compute(prefix, p as never);
        part.forEach((o, j) => expect(o[t]).toBe(full[j]![t]));
      }
    }
  });

  test('parameters are validated with the field named', () => {
    expect(fftBandsFeature.params.safeParse({ window: 100 }).error?.issues[0]).toMatchObject({ path: ['window'], message: expect.stringMatching(/power of two.*got 100/) });
    expect(waveletEnergyFeature.params.safeParse({ window: 16, levels: 5 }).error?.issues[0]).toMatchObject({ path: ['levels'], message: expect.stringMatching(/levels 5 needs window >= .* 32; got window 16/) });
    expect(waveletEnergyFeature.params.safeParse({ wavelet: 'db4' }).error?.issues[0]).toMatchObject({ path: ['wavelet'], message: expect.stringMatching(/haar, db2; got "db4"/) });
  });
});
