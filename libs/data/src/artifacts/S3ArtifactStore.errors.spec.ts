import { S3ServiceException } from '@aws-sdk/client-s3';
import { ConfigError, TransientError } from '../errors';
import { classifyS3Error } from './S3ArtifactStore';

/** A service error as the SDK deserializes it from a response with this status and error code. */
function s3Error(status: number, name: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: status < 500 ? 'client' : 'server', $metadata: { httpStatusCode: status }, message: `${name} (${status})` });
}

describe('classifyS3Error', () => {
  // Status codes and error codes from the S3 error-response reference and MinIO's cmd/api-errors.go.
  test.each([
    [400, 'InvalidArgument'],
    [400, 'InvalidBucketName'],
    [403, 'AccessDenied'],
    [403, 'InvalidAccessKeyId'],
    [403, 'SignatureDoesNotMatch'], // the SDK has already corrected its clock and retried: a wrong secret
    [403, 'RequestTimeTooSkewed'],
    [404, 'NoSuchBucket'],
    [409, 'BucketAlreadyExists'],
    [411, 'MissingContentLength'],
  ])('%i %s is a refusal no retry mends: ConfigError', (status, name) => {
    const e = classifyS3Error(s3Error(status, name), 'put a/b');
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.retryable).toBe(false);
    expect(e.message).toBe(`S3 put a/b failed: ${name} (${status})`);
  });

  test.each([
    [499, 'ClientDisconnected'], // MinIO while it shuts down: the fault suite's MinIO outage sent this
    [408, 'RequestTimeout'],
    [400, 'RequestTimeout'], // S3 sends its idle-socket timeout as a 400
    [409, 'OperationAborted'],
    [429, 'TooManyRequests'],
    [503, 'SlowDown'],
    [500, 'InternalError'],
    [503, 'ServiceUnavailable'],
  ])('%i %s may pass: TransientError', (status, name) => {
    const e = classifyS3Error(s3Error(status, name), 'get a/b');
    expect(e).toBeInstanceOf(TransientError);
    expect(e.retryable).toBe(true);
  });

  test('network errors (no response) are transient', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyS3Error(reset, 'list a/')).toBeInstanceOf(TransientError);
    expect(classifyS3Error(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'list a/')).toBeInstanceOf(TransientError);
  });
});
