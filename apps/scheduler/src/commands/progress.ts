import { defaultPayloadConverter } from '@temporalio/common';
import { progressQuery, type connectClient, type StageStatus } from '@ares/pipeline';

type Handle = Awaited<ReturnType<Awaited<ReturnType<typeof connectClient>>['workflow']['start']>>;

/** Polls the workflow's progress query and its pending activity; prints a line whenever something changes. */
export function watchProgress(handle: Handle, out: (line: string) => void): () => Promise<void> {
  let last = '';
  let running = true;
  const started = Date.now();
  const loop = (async () => {
    while (running) {
      try {
        const [progress, desc] = await Promise.all([handle.query(progressQuery), handle.describe()]);
        const pending = desc.raw.pendingActivities?.[0];
        let detail = '';
        if (pending) {
          const beat = pending.heartbeatDetails?.payloads?.[0];
          const hb = beat ? (defaultPayloadConverter.fromPayload(beat) as Record<string, unknown>) : undefined;
          detail = ` attempt ${pending.attempt}${pending.lastWorkerIdentity ? ` on ${pending.lastWorkerIdentity}` : ''}${hb ? ` ${Object.entries(hb).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}${pending.lastFailure?.message ? ` (last failure: ${pending.lastFailure.message})` : ''}`;
        }
        const line = progress.stages.map((s: StageStatus) => `${s.name}: ${s.state}`).join(', ') + detail;
        if (line !== last) {
          out(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
          last = line;
        }
      } catch {
        // the query can fail before the first workflow task has run; try again
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}
