import { resolve } from 'node:path';
import { artifactLocationFromEnv, dataDir, parseArtifactUrl } from './config';
import { ConfigError, InvalidInputError } from './errors';
import { thrown } from './testing';


describe('artifactLocationFromEnv', () => {
  it('defaults to file://.data/artifacts, resolved from the working directory', () => {
    expect(artifactLocationFromEnv({})).toEqual({ kind: 'file', root: resolve(process.cwd(), '.data/artifacts') });
  });

  it('reads a file:// location, relative or absolute', () => {
    expect(artifactLocationFromEnv({ ARES_ARTIFACTS: 'file://some/dir' })).toEqual({ kind: 'file', root: resolve(process.cwd(), 'some/dir') });
    expect(artifactLocationFromEnv({ ARES_ARTIFACTS: 'file:///srv/ares/artifacts' })).toEqual({ kind: 'file', root: '/srv/ares/artifacts' });
  });

  it('reads s3://bucket/prefix with the S3 settings', () => {
    expect(artifactLocationFromEnv({ ARES_ARTIFACTS: 's3://my-bucket/team/ares' })).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'team/ares' });
    expect(
      artifactLocationFromEnv({
        ARES_ARTIFACTS: 's3://my-bucket/p',
        ARES_S3_ENDPOINT: 'http://127.0.0.1:9000',
        ARES_S3_FORCE_PATH_STYLE: 'false',
        AWS_REGION: 'eu-west-1',
      }),
    ).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'p', endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1', forcePathStyle: false });
    expect(artifactLocationFromEnv({ ARES_ARTIFACTS: 's3://b1/p', ARES_S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({ forcePathStyle: true });
  });

  it('ignores the S3 settings for a file:// location', () => {
    expect(artifactLocationFromEnv({ ARES_ARTIFACTS: 'file:///x', ARES_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toEqual({ kind: 'file', root: '/x' });
  });

  it.each(['http://bucket/x', 'S3://bucket', 'bucket/prefix', '.data/artifacts', ''])('rejects ARES_ARTIFACTS %p with a ConfigError naming the value', (value) => {
    const err = thrown(() => artifactLocationFromEnv({ ARES_ARTIFACTS: value }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(InvalidInputError); // not retryable
    expect(err.message).toContain(`ARES_ARTIFACTS '${value}'`);
    expect(err.message).toMatch(/file:\/\/ or s3:\/\//);
  });

  it('rejects an s3:// location without a bucket and a file:// one without a directory', () => {
    const noBucket = thrown(() => artifactLocationFromEnv({ ARES_ARTIFACTS: 's3:///prefix' }));
    expect(noBucket).toBeInstanceOf(ConfigError);
    expect(noBucket.message).toBe("ARES_ARTIFACTS 's3:///prefix' has no bucket");
    const noDir = thrown(() => artifactLocationFromEnv({ ARES_ARTIFACTS: 'file://' }));
    expect(noDir).toBeInstanceOf(ConfigError);
    expect(noDir.message).toBe("ARES_ARTIFACTS 'file://' has no directory");
  });

  it.each(['not a url', '127.0.0.1:9000', 'http://'])('rejects ARES_S3_ENDPOINT %p: it must be a URL', (value) => {
    const err = thrown(() => artifactLocationFromEnv({ ARES_ARTIFACTS: 's3://b1/p', ARES_S3_ENDPOINT: value }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^ARES_S3_ENDPOINT: /);
    expect(err.message).toContain('must be an http(s) URL');
  });

  it.each(['localhost:9000', 'minio:9000', 'ftp://127.0.0.1:9000'])('rejects ARES_S3_ENDPOINT %p, which is not an http(s) URL', (value) => {
    const err = thrown(() => artifactLocationFromEnv({ ARES_ARTIFACTS: 's3://b1/p', ARES_S3_ENDPOINT: value }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^ARES_S3_ENDPOINT: /);
  });

  it('rejects ARES_S3_FORCE_PATH_STYLE other than true/false, naming the variable', () => {
    const err = thrown(() => artifactLocationFromEnv({ ARES_ARTIFACTS: 's3://b1/p', ARES_S3_FORCE_PATH_STYLE: 'yes' }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^ARES_S3_FORCE_PATH_STYLE: /);
  });
});

describe('parseArtifactUrl', () => {
  it('normalises the s3 prefix (no empty segments) and keeps only the given S3 settings', () => {
    expect(parseArtifactUrl('s3://bkt')).toEqual({ kind: 's3', bucket: 'bkt', prefix: '' });
    expect(parseArtifactUrl('s3://bkt/')).toEqual({ kind: 's3', bucket: 'bkt', prefix: '' });
    expect(parseArtifactUrl('s3://bkt//a//b/')).toEqual({ kind: 's3', bucket: 'bkt', prefix: 'a/b' });
    expect(parseArtifactUrl('s3://bkt/a', { endpoint: 'http://h:1', region: undefined })).toEqual({ kind: 's3', bucket: 'bkt', prefix: 'a', endpoint: 'http://h:1' });
  });
});

describe('dataDir', () => {
  it('is ARES_DATA_DIR, else .data, resolved', () => {
    expect(dataDir({})).toBe(resolve('.data'));
    expect(dataDir({ ARES_DATA_DIR: '/var/lib/ares' })).toBe('/var/lib/ares');
  });
});
