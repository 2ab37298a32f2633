/**
 * Frequency-domain features of log returns: rolling FFT band shares (fft.js, sliding DFT between
 * anchors) and rolling wavelet energy shares (Haar or db2, periodized as PyWavelets), as pure
 * functions over Float64Array columns and their FeatureDefs.
 *
 * ```ts
 * const { low, mid, high } = fftBandShares(logReturns(close), 64);
 * const [d1, d2, d3, a3] = waveletEnergyFeature.compute(input, waveletEnergyFeature.params.parse({}));
 * ```
 */
export { fftBandEdges, fftBandShares, isFftWindow, type FftBandShares } from './fftBands';
export { DEFAULT_FREQUENCY_SET, FREQUENCY_FEATURES, fftBandsFeature, waveletEnergyFeature } from './frequencyFeatures';
export { WAVELETS, waveletEnergyShares, waveletWindowProblem, type WaveletEnergyShares, type WaveletName } from './waveletEnergy';
