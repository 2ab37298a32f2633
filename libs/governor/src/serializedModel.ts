import type { SavedModel } from '@ares/models';
import { z } from 'zod';

/** A SavedModel as plain JSON (files base64-encoded), so ensembles and the governor save as one document. */
export const SerializedModelSchema = z
  .object({
    type: z.string(),
    library: z.object({ name: z.string(), version: z.string(), backend: z.string().optional() }),
    /** File name → base64 bytes. */
    files: z.record(z.string(), z.string()),
    state: z.record(z.string(), z.unknown()),
  })
  .strict();
export type SerializedModel = z.output<typeof SerializedModelSchema>;

export function serializeModel(saved: SavedModel): SerializedModel {
  const files: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(saved.files)) files[name] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const library = saved.library.backend === undefined ? { name: saved.library.name, version: saved.library.version } : { ...saved.library };
  return { type: saved.type, library, files, state: JSON.parse(JSON.stringify(saved.state)) as Record<string, unknown> };
}

export function deserializeModel(saved: SerializedModel): SavedModel {
  const files: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(saved.files)) files[name] = new Uint8Array(Buffer.from(text, 'base64'));
  const library = saved.library.backend === undefined ? { name: saved.library.name, version: saved.library.version } : { name: saved.library.name, version: saved.library.version, backend: saved.library.backend };
  return { type: saved.type, library, files, state: saved.state };
}
