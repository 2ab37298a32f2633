import { z } from 'zod';
import { IntervalSchema, SymbolSchema } from '../market/schema';

/** The small reference a pipeline stage passes on instead of data. */
export const DatasetRefSchema = z.object({
  /** Key of the dataset's manifest.json in the artifact store. */
  key: z.string(),
  /** sha256 over the dataset's files (see `datasetHash`): the dataset's identity. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  symbol: SymbolSchema,
  interval: IntervalSchema,
  /** Candle rows. */
  rows: z.number().int().nonnegative(),
  /** First and last candle open time, epoch ms. */
  start: z.number().int(),
  end: z.number().int(),
});
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

const FileSchema = z.object({ key: z.string(), sha256: z.string(), size: z.number().int(), rows: z.number().int() });

/** manifest.json of a dataset: written last, so a dataset without one is incomplete. */
export const DatasetManifestSchema = z.object({
  version: z.literal(1),
  datasetHash: z.string(),
  symbol: SymbolSchema,
  interval: IntervalSchema,
  source: z.string(),
  rows: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  files: z.object({ candles: FileSchema, tradeFlow: FileSchema, funding: FileSchema, openInterest: FileSchema }),
  quality: z.object({ key: z.string(), sha256: z.string() }),
});
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;
