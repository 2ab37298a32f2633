import { Rng } from './Rng';

describe('Rng state', () => {
  test('a stream continued from state() draws what the original draws next (uniform and cached normals)', () => {
    const a = new Rng(42);
    for (let i = 0; i < 17; i++) a.uniform();
    a.normal(); // leaves the pair's second value cached
    const b = Rng.fromState(JSON.parse(JSON.stringify(a.state())) as (number | null)[]);
    const next = (r: Rng) => [r.normal(), r.uniform(), r.normal(), r.normal(), r.exponential(2)];
    expect(next(b)).toEqual(next(a));
  });

  test('a malformed state is refused with the value', () => {
    expect(() => Rng.fromState([null])).toThrow('Rng.fromState: not an Rng state: [null]');
    expect(() => Rng.fromState([1.5, 2, null])).toThrow(/not an Rng state/);
  });
});
