import FFT from 'fft.js';

/**
 * The one-sided spectrum (bins 1..W/2) of a rolling window of W values, summed into three bands:
 * bins 1..lowEnd, lowEnd+1..midEnd and midEnd+1..W/2. fft.js transforms a whole window (`anchor`);
 * `slide` moves it one value on with the sliding DFT, X_k <- (X_k + x_new - x_old) · e^{2πik/W},
 * O(W/2) instead of O(W log W). The caller re-anchors now and then to bound the rounding that the
 * recursion accumulates.
 *
 * Band powers are one-sided: bins below W/2 count twice (their mirror bins), the Nyquist bin once.
 */
export class SlidingSpectrum {
  private readonly fft: FFT;
  private readonly buffer: Float64Array;
  private readonly complex: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly nyquist: number;

  constructor(
    private readonly window: number,
    private readonly lowEnd: number,
    private readonly midEnd: number,
  ) {
    this.fft = new FFT(window);
    this.buffer = new Float64Array(window);
    this.complex = new Float64Array(2 * window);
    this.nyquist = window / 2;
    this.re = new Float64Array(this.nyquist + 1);
    this.im = new Float64Array(this.nyquist + 1);
    this.cos = new Float64Array(this.nyquist + 1);
    this.sin = new Float64Array(this.nyquist + 1);
    for (let k = 0; k <= this.nyquist; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / window);
      this.sin[k] = Math.sin((2 * Math.PI * k) / window);
    }
    // Exact quarter turns, so the Nyquist bin of a real window stays real.
    this.cos[this.nyquist] = -1;
    this.sin[this.nyquist] = 0;
    if (this.nyquist % 2 === 0) {
      this.cos[this.nyquist / 2] = 0;
      this.sin[this.nyquist / 2] = 1;
    }
  }

  /** Transforms the demeaned window x[start..start + W - 1] with fft.js; band powers into `bands`. */
  anchor(x: Float64Array, start: number, bands: Float64Array): void {
    const W = this.window;
    let sum = 0;
    for (let j = 0; j < W; j++) sum += x[start + j]!;
    const mean = sum / W;
    for (let j = 0; j < W; j++) this.buffer[j] = x[start + j]! - mean;
    // realTransform fills bins 0..W/2 (interleaved re, im), all a real input needs.
    this.fft.realTransform(this.complex, this.buffer);
    for (let k = 1; k <= this.nyquist; k++) {
      this.re[k] = this.complex[2 * k]!;
      this.im[k] = this.complex[2 * k + 1]!;
    }
    bands[0] = 2 * this.power(1, this.lowEnd);
    bands[1] = 2 * this.power(this.lowEnd + 1, this.midEnd);
    bands[2] = 2 * this.power(this.midEnd + 1, this.nyquist - 1) + this.power(this.nyquist, this.nyquist);
  }

  /** Moves the window one value on (`delta` = entering value - leaving value); band powers into `bands`. */
  slide(delta: number, bands: Float64Array): void {
    bands[0] = 2 * this.slideBins(delta, 1, this.lowEnd);
    bands[1] = 2 * this.slideBins(delta, this.lowEnd + 1, this.midEnd);
    bands[2] = 2 * this.slideBins(delta, this.midEnd + 1, this.nyquist - 1) + this.slideBins(delta, this.nyquist, this.nyquist);
  }

  /** Σ |X_k|² over bins from..to. */
  private power(from: number, to: number): number {
    const { re, im } = this;
    let p = 0;
    for (let k = from; k <= to; k++) p += re[k]! * re[k]! + im[k]! * im[k]!;
    return p;
  }

  /** Slides bins from..to by one value and returns their Σ |X_k|² (update and power in one pass: a third faster). */
  private slideBins(delta: number, from: number, to: number): number {
    const { re, im, cos, sin } = this;
    let p = 0;
    for (let k = from; k <= to; k++) {
      const a = re[k]! + delta;
      const b = im[k]!;
      const c = cos[k]!;
      const s = sin[k]!;
      const r = a * c - b * s;
      const i = a * s + b * c;
      re[k] = r;
      im[k] = i;
      p += r * r + i * i;
    }
    return p;
  }
}
