import { nans } from '../../core/rolling';
import { logChange } from '../../core/returns';

// Globals captured once: inside jest's vm sandbox a global lookup (Math, Number) in a hot loop
// costs about 100x a module-scope one.
const { sign } = Math;

/** Open interest against price over the same n bars. */
export interface OiPriceDivergence {
  /** ln(OI_t / OI_{t-n}) - ln(close_t / close_{t-n}): positions growing faster than price moves. */
  divergence: Float64Array;
  /** sign(OI change) · sign(price change): +1 agree, -1 disagree (e.g. OI up while price falls), 0 either flat. */
  agreement: Float64Array;
}

/**
 * Divergence of open interest from price over n bars. Both legs are log changes, so the difference
 * is unit-free: rising OI into a falling price (new shorts) is negative price change with positive
 * OI change, a large positive divergence and agreement -1. NaN where either log change is (t < n,
 * non-positive OI).
 */
export function oiPriceDivergence(openInterest: Float64Array, close: Float64Array, n: number): OiPriceDivergence {
  const oi = logChange(openInterest, n);
  const price = logChange(close, n);
  const out: OiPriceDivergence = { divergence: nans(close.length), agreement: nans(close.length) };
  for (let t = 0; t < close.length; t++) {
    const a = oi[t]!;
    const b = price[t]!;
    if (a !== a || b !== b) continue; // NaN
    out.divergence[t] = a - b;
    out.agreement[t] = sign(a) * sign(b);
  }
  return out;
}
