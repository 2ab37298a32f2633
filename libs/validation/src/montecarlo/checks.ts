import { InvalidStatisticsInputError } from '../errors';

/**
 * Input checks of the Monte Carlo and bootstrap functions. Messages read
 * "<function>: <field> <value> must be …" so that a bad value is found from the message alone.
 */

/** Throws unless every value is finite, naming the field, the first bad position and value, and how many are bad. */
export function requireFiniteSeries(what: string, field: string, x: ArrayLike<number>, minLength: number): void {
  if (x.length < minLength) throw new InvalidStatisticsInputError(`${what}: ${field} has ${x.length} values, needs at least ${minLength}`);
  let bad = 0;
  let first = -1;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad > 0) throw new InvalidStatisticsInputError(`${what}: ${field} has ${bad} non-finite values, the first ${x[first]} at index ${first}`);
}

/** Throws unless every value is a simple return >= −1 (a fall below −100 % has no meaning for compounding). */
export function requireSimpleReturns(what: string, field: string, x: ArrayLike<number>, minLength: number): void {
  requireFiniteSeries(what, field, x, minLength);
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < -1) throw new InvalidStatisticsInputError(`${what}: ${field}[${i}] = ${x[i]} is a simple return below -1 (-100 %)`);
  }
}

/** `value` as an integer >= `min`, else InvalidStatisticsInputError naming the field and value. */
export function requireInteger(what: string, field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new InvalidStatisticsInputError(`${what}: ${field} ${String(value)} must be an integer >= ${min}`);
  return value;
}

/** `value` as a finite number >= `min`, else InvalidStatisticsInputError naming the field and value. */
export function requireAtLeast(what: string, field: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new InvalidStatisticsInputError(`${what}: ${field} ${String(value)} must be a finite number >= ${min}`);
  return value;
}

/** `value` as a finite number > 0, else InvalidStatisticsInputError naming the field and value. */
export function requirePositive(what: string, field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidStatisticsInputError(`${what}: ${field} ${String(value)} must be a finite number > 0`);
  return value;
}

/** Throws when two series that must be paired bar by bar differ in length. */
export function requireSameLength(what: string, fieldA: string, a: ArrayLike<number>, fieldB: string, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new InvalidStatisticsInputError(`${what}: ${fieldA} has ${a.length} values but ${fieldB} has ${b.length}; they must be paired bar by bar`);
}
