import { InvalidKeyError } from '../errors';

// A segment starts with a letter or digit, so no key can reach the store's own '.meta'/'.tmp' folders.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=+-]*$/;

/**
 * Validates an artifact key: relative, '/'-separated, no empty, '.' or '..' segments, and only
 * [A-Za-z0-9._=+-] characters in a segment, so a key is the same object on a file system and in S3.
 * Returns the key unchanged.
 */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError('artifact key is empty');
  if (key.length > 900) throw new InvalidKeyError(`artifact key is ${key.length} characters long (max 900): ${key.slice(0, 60)}…`);
  if (key.startsWith('/')) throw new InvalidKeyError(`artifact key '${key}' is absolute; keys are relative to the store root`);
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidKeyError(`artifact key '${key}' has an empty segment`);
    if (segment === '.' || segment === '..') throw new InvalidKeyError(`artifact key '${key}' has a '${segment}' segment`);
    if (!SEGMENT.test(segment)) throw new InvalidKeyError(`artifact key '${key}' has a segment '${segment}' that does not match [A-Za-z0-9][A-Za-z0-9._=+-]*`);
  }
  return key;
}

/** Joins key parts with '/' and validates the result. */
export function joinKey(...parts: string[]): string {
  return validateKey(parts.join('/'));
}
