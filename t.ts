import { generateSyntheticMarket } from './libs/data/src/sources/synthetic/SyntheticMarket';
import { MarketStore } from './libs/data/src/storage/MarketStore';
import { createHash } from 'node:crypto'; import { readFileSync } from 'node:fs';
(async () => {
  let t = performance.now(); const t00 = t; const lap = (l: string) => { const n = performance.now(); console.log(l, Math.round(n - t)); t = n; };
  const m = generateSyntheticMarket({ bars: 1_000_000, interval: '1m' }); lap('gen');
  const s = await MarketStore.create();
  const r = await s.appendCandles(m.symbol, m.interval, m.candles); lap('candles');
  await s.appendTradeFlow(m.symbol, m.interval, m.tradeFlow); lap('flow');
  await s.appendFunding(m.symbol, m.funding); await s.appendOpenInterest(m.symbol, m.openInterest); lap('fund+oi');
  const sum = await s.summarize(m.symbol, m.interval); lap('summary');
  const ex = await s.exportParquet(m.symbol, m.interval, '/tmp/pq', { from: sum.firstOpenTime!, to: sum.lastOpenTime! }); lap('export');
  console.log('total', performance.now() - t00, r.inserted, sum.rows, sum.gaps.length, Object.values(ex).map(e => e.rows));
  console.log(createHash('sha256').update(readFileSync('/tmp/pq/candles.parquet')).digest('hex'));
  const again = await s.appendCandles(m.symbol, m.interval, m.candles); lap('dup append'); console.log(again.inserted, again.duplicates);
  console.log('rss MB', process.memoryUsage().rss / 1e6, (await s.connection.runAndReadAll('select * from candles limit 2')).getRowObjects());
  s.close();
})();
