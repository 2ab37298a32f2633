import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isRetryableByTrait, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { ArtifactNotFoundError, ConfigError, TransientError } from '../errors';
import type { ArtifactInfo, ArtifactStore } from './ArtifactStore';
import { sha256File, sha256Hex } from './hash';
import { validateKey } from './keys';

/** Options for {@link S3ArtifactStore}. Credentials are never taken here: they come from the standard AWS chain. */
export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing '/'. @default '' */
  prefix?: string;
  /** Endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000. @default AWS */
  endpoint?: string;
  /** @default process.env.AWS_REGION ?? 'us-east-1' */
  region?: string;
  /** Path-style addressing. @default true when `endpoint` is set (S3-compatible servers), else false */
  forcePathStyle?: boolean;
  /** Objects at least this large are uploaded in parts. @default 16 MiB */
  multipartThreshold?: number;
  /** Create the bucket if it does not exist. @default false */
  createBucket?: boolean;
}

const SHA_META = 'sha256';

/**
 * Artifact store on S3 or any S3-compatible server (MinIO, …).
 *
 * Atomicity comes from S3 itself: a PUT or a completed multipart upload makes the whole object
 * visible at once. The sha256 is stored as user metadata (`x-amz-meta-sha256`) on the object.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly url: string;
  private readonly prefix: string;
  private readonly threshold: number;

  private constructor(private readonly client: S3Client, private readonly bucket: string, options: S3ArtifactStoreOptions) {
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (this.prefix) validateKey(this.prefix);
    this.threshold = options.multipartThreshold ?? 16 * 1024 * 1024;
    this.url = `s3://${bucket}${this.prefix ? `/${this.prefix}` : ''}${options.endpoint ? ` (${withoutUserInfo(options.endpoint)})` : ''}`;
  }

  static async create(options: S3ArtifactStoreOptions): Promise<S3ArtifactStore> {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
      throw new ConfigError(`S3 bucket name '${options.bucket}' is invalid (3-63 lower-case letters, digits, '.', '-')`);
    }
    const client = new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      maxAttempts: 5,
    });
    const store = new S3ArtifactStore(client, options.bucket, options);
    if (options.createBucket) await store.ensureBucket();
    return store;
  }

  /** Checks that the bucket exists and is reachable with the current credentials. */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (isNotFound(err)) throw new ConfigError(`S3 bucket '${this.bucket}' does not exist at ${this.url}`, { cause: err });
      throw classifyS3Error(err, `head bucket ${this.bucket}`);
    }
  }

  /** Creates the bucket when it is missing (idempotent). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (!isNotFound(err)) throw classifyS3Error(err, `head bucket ${this.bucket}`);
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      } catch (createErr) {
        const name = (createErr as { name?: string }).name;
        if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw classifyS3Error(createErr, `create bucket ${this.bucket}`);
      }
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<ArtifactInfo> {
    validateKey(key);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const sha256 = sha256Hex(bytes);
    if (bytes.byteLength >= this.threshold) {
      await this.upload(key, bytes, sha256);
    } else {
      await this.send(`put ${key}`, () =>
        this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Body: bytes, Metadata: { [SHA_META]: sha256 } })),
      );
    }
    return { key, sha256, size: bytes.byteLength };
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<ArtifactInfo | undefined> {
    validateKey(key);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const sha256 = sha256Hex(bytes);
    try {
      // A conditional write (AWS S3 since 2024, MinIO): 412 when the key exists.
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Body: bytes, IfNoneMatch: '*', Metadata: { [SHA_META]: sha256 } }));
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // 412: another writer created it first; 409: a concurrent conditional write is in flight (it wins).
      if (status === 412 || status === 409) return undefined;
      throw classifyS3Error(err, `put-if-absent ${key}`);
    }
    return { key, sha256, size: bytes.byteLength };
  }

  async putFile(key: string, path: string): Promise<ArtifactInfo> {
    validateKey(key);
    // Hash first: the sha256 travels as object metadata, which S3 takes when the upload starts.
    const { sha256, size } = await sha256File(path);
    if (size >= this.threshold) {
      await this.upload(key, createReadStream(path), sha256);
    } else {
      await this.send(`put ${key}`, () =>
        this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Body: createReadStream(path), ContentLength: size, Metadata: { [SHA_META]: sha256 } }),
        ),
      );
    }
    return { key, sha256, size };
  }

  async get(key: string): Promise<Uint8Array> {
    validateKey(key);
    const res = await this.send(`get ${key}`, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })), key);
    return res.Body!.transformToByteArray();
  }

  async getFile(key: string, path: string): Promise<ArtifactInfo> {
    validateKey(key);
    const res = await this.send(`get ${key}`, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })), key);
    await mkdir(dirname(resolve(path)), { recursive: true });
    const tmp = `${path}.${randomUUID()}.part`;
    await pipeline(res.Body as Readable, createWriteStream(tmp));
    await rename(tmp, path);
    return { key, sha256: res.Metadata?.[SHA_META] ?? '', size: res.ContentLength ?? 0 };
  }

  async stat(key: string): Promise<ArtifactInfo | undefined> {
    validateKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      return { key, sha256: res.Metadata?.[SHA_META] ?? '', size: res.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw classifyS3Error(err, `head ${key}`);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    let token: string | undefined;
    do {
      const res = await this.send(`list ${prefix}`, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.fullKey(prefix, true), ContinuationToken: token })),
      );
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key.slice(strip));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    await this.send(`delete ${key}`, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async upload(key: string, body: Uint8Array | Readable, sha256: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.fullKey(key), Body: body, Metadata: { [SHA_META]: sha256 } },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await this.send(`multipart upload ${key}`, () => upload.done());
  }

  private fullKey(key: string, allowEmpty = false): string {
    if (!this.prefix) return key;
    return allowEmpty && key === '' ? `${this.prefix}/` : `${this.prefix}/${key}`;
  }

  private async send<T>(what: string, fn: () => Promise<T>, missingKey?: string): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (missingKey !== undefined && isNotFound(err)) throw new ArtifactNotFoundError(`artifact '${missingKey}' not found in ${this.url}`, { cause: err });
      throw classifyS3Error(err, what);
    }
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' || e.$metadata?.httpStatusCode === 404;
}

/**
 * What S3 said, as an error an activity can act on: a definite refusal of the request (400 bad
 * request, 403 denied, 404 bucket, 412 …) is a ConfigError, which no retry mends; everything else
 * is a TransientError. Transient is what the AWS SDK itself classes as throttling or transient
 * (429, SlowDown, 5xx, timeouts, ECONNRESET …) plus what only S3-compatible servers send: 408,
 * MinIO's 499 ClientDisconnected while it shuts down, and S3's 409 OperationAborted. Clock-skew
 * errors (SignatureDoesNotMatch, RequestTimeTooSkewed) are refusals here: the SDK has already
 * corrected its clock offset and retried, so what is left is a wrong key, which waits in vain.
 */
export function classifyS3Error(err: unknown, what: string): ConfigError | TransientError {
  const message = `S3 ${what} failed: ${(err as Error).message}`;
  return isRefusal(err) ? new ConfigError(message, { cause: err }) : new TransientError(message, { cause: err });
}

const TRANSIENT_STATUS = new Set([408, 499]);
const TRANSIENT_NAMES = new Set(['ClientDisconnected', 'OperationAborted']);

function isRefusal(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined || status < 400 || status >= 500) return false;
  const sdk = err as Parameters<typeof isTransientError>[0];
  return !(TRANSIENT_STATUS.has(status) || TRANSIENT_NAMES.has(err.name) || isRetryableByTrait(sdk) || isThrottlingError(sdk) || isTransientError(sdk));
}

/** An endpoint without user:password@, so credentials never reach logs through `url`. */
function withoutUserInfo(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    u.username = '';
    u.password = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return '(invalid endpoint)';
  }
}
