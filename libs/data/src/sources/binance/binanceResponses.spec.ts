import { InvalidInputError } from '../../errors';
import { AggTradeRowSchema, FundingRateRowSchema, KlineRowSchema, OpenInterestRowSchema, parseRows } from './binanceResponses';

// Rows copied from the response examples of Binance's documentation.
describe('Binance response schemas', () => {
  it('reads the documented kline example, ignoring the trailing "ignore" field', () => {
    const row = [1499040000000, '0.01634790', '0.80000000', '0.01575800', '0.01577100', '148976.11427815', 1499644799999, '2434.19055334', 308, '1756.87402397', '28.46694368', '17928899.62484339'];
    expect(parseRows([row], KlineRowSchema, 'klines')).toEqual([{
      openTime: 1499040000000, open: 0.0163479, high: 0.8, low: 0.015758, close: 0.015771, volume: 148976.11427815,
      closeTime: 1499644799999, quoteVolume: 2434.19055334, trades: 308, takerBuyBaseVolume: 1756.87402397, takerBuyQuoteVolume: 28.46694368,
    }]);
  });

  it('reads the documented aggTrade example', () => {
    const row = { a: 26129, p: '0.01633102', q: '4.70443515', f: 27781, l: 27781, T: 1498793709153, m: true, M: true };
    expect(parseRows([row], AggTradeRowSchema, 'aggTrades')).toEqual([
      { id: 26129, price: 0.01633102, quantity: 4.70443515, firstTradeId: 27781, lastTradeId: 27781, time: 1498793709153, isBuyerMaker: true },
    ]);
  });

  it('reads funding rates with and without a mark price', () => {
    const rows = [
      { symbol: 'BTCUSDT', fundingRate: '-0.03750000', fundingTime: 1570608000000, markPrice: '34287.54619963' },
      { symbol: 'BTCUSDT', fundingRate: '0.00010000', fundingTime: 1570636800000, markPrice: '' },
      { symbol: 'BTCUSDT', fundingRate: '0.00010000', fundingTime: 1570665600000 },
    ];
    expect(parseRows(rows, FundingRateRowSchema, 'fundingRate')).toEqual([
      { fundingTime: 1570608000000, fundingRate: -0.0375, markPrice: 34287.54619963 },
      { fundingTime: 1570636800000, fundingRate: 0.0001 },
      { fundingTime: 1570665600000, fundingRate: 0.0001 },
    ]);
  });

  it('reads open interest whose timestamp is a string (as in the documented example) or a number', () => {
    const rows = [
      { symbol: 'BTCUSDT', sumOpenInterest: '20403.63700000', sumOpenInterestValue: '150570784.07809979', timestamp: '1583127900000' },
      { symbol: 'BTCUSDT', sumOpenInterest: '20401.36700000', sumOpenInterestValue: '149940752.14464448', timestamp: 1583128200000, CMCCirculatingSupply: '1' },
    ];
    expect(parseRows(rows, OpenInterestRowSchema, 'openInterestHist').map((p) => p.time)).toEqual([1583127900000, 1583128200000]);
  });

  it('names the request and the row index of a malformed row, and rejects a body that is not an array', () => {
    const good = { a: 1, p: '1.0', q: '1.0', f: 1, l: 1, T: 1, m: false, M: true };
    expect(() => parseRows([good, { ...good, q: 1.5 }], AggTradeRowSchema, 'GET /api/v3/aggTrades BTCUSDT')).toThrow(
      /GET \/api\/v3\/aggTrades BTCUSDT: row 1 is malformed \(q: /,
    );
    expect(() => parseRows({ code: 0, msg: 'ok' }, AggTradeRowSchema, 'GET /api/v3/aggTrades BTCUSDT')).toThrow(InvalidInputError);
    expect(() => parseRows({ code: 0, msg: 'ok' }, AggTradeRowSchema, 'x')).toThrow(/x: expected a JSON array, got \{"code":0,"msg":"ok"\}/);
  });
});
