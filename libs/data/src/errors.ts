/**
 * Errors thrown by @ares/data. Each names the offending value. `retryable` tells a Temporal
 * activity whether to fail non-retryably (bad input) or let the retry policy act (transient).
 */
export abstract class DataError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Thrown when input data or a request is invalid: a field, row or value that will not get better on retry. */
export class InvalidInputError extends DataError {
  readonly retryable = false;
}

/** Thrown when an artifact key is malformed (`..`, absolute, empty segment, bad characters). */
export class InvalidKeyError extends InvalidInputError {}

/** Thrown when configuration (env) is missing or contradictory. */
export class ConfigError extends InvalidInputError {}

/** Thrown when an artifact does not exist in the store. */
export class ArtifactNotFoundError extends DataError {
  readonly retryable = false;
}

/** Thrown when an artifact's bytes do not match the sha256 recorded for it. */
export class IntegrityError extends DataError {
  readonly retryable = false;
}

/** Thrown on a fault that may pass: network, HTTP 5xx/429, S3 throttling. */
export class TransientError extends DataError {
  readonly retryable = true;
}
