import { InvalidInputError, InvalidKeyError } from '../errors';
import { joinKey, validateKey } from './keys';
import { thrown } from '../testing';


describe('validateKey', () => {
  it.each([
    'a',
    'manifest.json',
    'datasets/BTCUSDT/1h/0123456789abcdef/candles.parquet',
    'runs/2024-01-01/model_v1.bin',
    'a/b=c/d+e/f-g_h.i',
    'x..y', // '..' inside a segment is just characters, not a parent reference
    'A9/Z0',
  ])('accepts %p and returns it unchanged', (key) => {
    expect(validateKey(key)).toBe(key);
  });

  it.each([
    ['/a', /absolute/],
    ['/', /absolute/],
    ['a/../b', /'\.\.' segment/],
    ['../x', /'\.\.' segment/],
    ['..', /'\.\.' segment/],
    ['a/..', /'\.\.' segment/],
    ['./a', /'\.' segment/],
    ['a/./b', /'\.' segment/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['.hidden', /segment '\.hidden'/],
    ['a/.meta/b', /segment '\.meta'/],
    ['.tmp/x', /segment '\.tmp'/],
    ['a b', /segment 'a b'/],
    ['a\\b', /segment 'a\\b'/],
    ['a/b?c', /segment 'b\?c'/],
    ['ü', /segment 'ü'/],
    ['a/-b', /segment '-b'/],
    ['a\0b', /does not match/],
    ['a/b\n', /does not match/],
  ])('rejects %j with an InvalidKeyError naming the key', (key, reason) => {
    const err = thrown(() => validateKey(key));
    expect(err).toBeInstanceOf(InvalidKeyError);
    // Bad keys are bad input: not retryable, and caught by handlers of InvalidInputError.
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidKeyError).retryable).toBe(false);
    expect(err.name).toBe('InvalidKeyError');
    expect(err.message).toContain(`'${key}'`);
    expect(err.message).toMatch(reason);
  });

  it('rejects the empty key', () => {
    const err = thrown(() => validateKey(''));
    expect(err).toBeInstanceOf(InvalidKeyError);
    expect(err.message).toMatch(/empty/);
  });

  it('rejects a key over 900 characters and accepts one of exactly 900', () => {
    const ok = 'a'.repeat(900);
    expect(validateKey(ok)).toBe(ok);
    const err = thrown(() => validateKey('b'.repeat(901)));
    expect(err).toBeInstanceOf(InvalidKeyError);
    expect(err.message).toContain('901 characters');
    expect(err.message).toContain('b'.repeat(60));
  });
});

describe('joinKey', () => {
  it('joins with / and validates the result', () => {
    expect(joinKey('datasets', 'BTCUSDT', '1h')).toBe('datasets/BTCUSDT/1h');
    expect(thrown(() => joinKey('datasets', '..', 'x'))).toBeInstanceOf(InvalidKeyError);
    expect(thrown(() => joinKey('datasets', '', 'x'))).toBeInstanceOf(InvalidKeyError);
  });
});
