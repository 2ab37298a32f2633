import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

/**
 * Seeded random numbers (xoroshiro128+ from pure-rand). Every random choice in Ares takes one,
 * so a run with the same seed reproduces bit for bit.
 */
export class Rng {
  private gen: Generator;
  private spare = Number.NaN;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }

  /** Where the stream stands (the generator's words, then the cached normal or null): JSON-safe. */
  state(): (number | null)[] {
    return [...this.gen.getState(), Number.isNaN(this.spare) ? null : this.spare];
  }

  /** Continues a stream from `state()`: the next draws equal the ones the saved Rng would have made. */
  static fromState(state: readonly (number | null)[]): Rng {
    const words = state.slice(0, -1);
    if (words.length === 0 || words.some((w) => typeof w !== 'number' || !Number.isInteger(w))) throw new RangeError(`Rng.fromState: not an Rng state: ${JSON.stringify(state)}`);
    const rng = new Rng(0);
    rng.gen = xoroshiro128plusFromState(words as number[]);
    rng.spare = state[state.length - 1] ?? Number.NaN;
    return rng;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Standard normal, by Marsaglia's polar method (no trigonometry; pairs cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    return u * f;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }
}
