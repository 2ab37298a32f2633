import { LocalArtifactStore } from './artifacts/LocalArtifactStore';
import { collectMarketData, parseCollectRequest } from './collect';
import { InvalidInputError } from './errors';
import { withTempDir } from './testing/tempDir';
import { thrown } from './testing';


describe('parseCollectRequest', () => {
  it('applies the documented defaults to a synthetic request', () => {
    expect(parseCollectRequest({ source: 'synthetic', symbol: 'BTCUSDT', interval: '1h' })).toEqual({
      source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', start: Date.UTC(2024, 0, 1), seed: 42, signal: 0.5,
    });
  });

  it('reads start as epoch ms, an ISO date or an ISO date-time with offset', () => {
    const parse = (start: unknown) => parseCollectRequest({ source: 'binance', symbol: 'ETHUSDT', interval: '4h', start, end: Date.UTC(2024, 5, 1) });
    expect(parse(1_700_000_000_000)).toMatchObject({ start: 1_700_000_000_000, derivatives: true, aggTrades: false });
    expect(parse('2024-03-01')).toMatchObject({ start: Date.UTC(2024, 2, 1) });
    expect(parse('2024-03-01T12:00:00+02:00')).toMatchObject({ start: Date.UTC(2024, 2, 1, 10) });
  });

  it.each([
    [{ source: 'synthetic', symbol: '../x', interval: '1h' }, "'symbol' = \"../x\""],
    [{ source: 'synthetic', symbol: 'btcusdt', interval: '1h' }, "'symbol' = \"btcusdt\""],
    [{ source: 'synthetic', symbol: 'BTCUSDT', interval: 'abc' }, "'interval' = \"abc\""],
    [{ source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', signal: 2 }, "'signal' = 2"],
    [{ source: 'synthetic', symbol: 'BTCUSDT', interval: '1h', bars: 0 }, "'bars' = 0"],
    [{ source: 'csv', symbol: 'BTCUSDT', interval: '1h', files: [] }, "'files' = []"],
    [{ source: 'csv', symbol: 'BTCUSDT', interval: '1h', files: [42] }, "'files.0' = 42"],
    [{ source: 'binance', symbol: 'BTCUSDT', interval: '1h', start: 'yesterday', end: 0 }, "'start' = \"yesterday\""],
    [{ source: 'ftp', symbol: 'BTCUSDT', interval: '1h' }, "'source' = \"ftp\""],
  ])('rejects %j with InvalidInputError naming the field and value', (input, named) => {
    const err = thrown(() => parseCollectRequest(input));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain(`collect request field ${named}`);
  });

  it('names the root when the request is not an object', () => {
    const err = thrown(() => parseCollectRequest(null));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain("field '(root)'");
  });
});

describe('collectMarketData input checks (before any fetch)', () => {
  it('rejects a binance request whose end is not after its start, writing nothing', async () => {
    await withTempDir(async (dir) => {
      const store = await LocalArtifactStore.create(dir);
      const req = { source: 'binance', symbol: 'BTCUSDT', interval: '1h', start: '2024-02-01', end: '2024-01-01', spotBaseUrl: 'http://127.0.0.1:9' };
      const err = await collectMarketData(req, { store, tmpDir: dir }).then(
        () => { throw new Error('expected a rejection'); },
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(InvalidInputError);
      expect(err.message).toBe('collect request: end 2024-01-01T00:00:00.000Z is not after start 2024-02-01T00:00:00.000Z');
      expect(await store.list('')).toEqual([]);
    });
  });
});
