import { defaultPayloadConverter } from '@temporalio/common';
import { progressQuery, type connectClient, type StageStatus } from '@ares/pipeline';

type Handle = Awaited<ReturnType<Awaited<ReturnType<typeof connectClient>>['workflow']['start']>>;

type PendingActivity = NonNullable<Awaited<ReturnType<Handle['describe']>>['raw']['pendingActivities']>[number];

/** Attempt, worker, heartbeat details (e.g. a unit's fits done / total) and the last failure of a running activity. */
function activityDetail(a: PendingActivity): string {
  const beat = a.heartbeatDetails?.payloads?.[0];
  const hb = beat ? (defaultPayloadConverter.fromPayload(beat) as Record<string, unknown> | undefined) : undefined;
  // An attempt that ended on a transient fault (activities/withWorkspace.ts): what it waits for.
  if (hb && typeof hb.waiting === 'string' && (a.attempt ?? 1) > 1) return `waiting for ${hb.waiting} (attempt ${a.attempt}, last error ${a.lastFailure?.message ?? hb.lastError})`;
  const { waiting: _w, attempt: _a, lastError: _e, ...shown } = hb ?? {};
  const progress = hb && typeof hb.done === 'number' && typeof hb.total === 'number' ? `${hb.unit ?? ''} ${hb.done}/${hb.total}`.trim() : hb ? Object.entries(shown).map(([k, v]) => `${k}=${v}`).join(' ') : '';
  return `${progress ? `${progress} ` : ''}attempt ${a.attempt}${a.lastWorkerIdentity ? ` on ${a.lastWorkerIdentity}` : ''}${a.lastFailure?.message ? ` (last failure: ${a.lastFailure.message})` : ''}`;
}

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
        let detail = pending ? ` ${activityDetail(pending)}` : '';
        // Child workflows (one per regime ensemble): their running units with heartbeat progress.
        const children = desc.raw.pendingChildren ?? [];
        if (children.length > 0) {
          const units = await Promise.all(children.map(async (c) => {
            const d = await handle.client.getHandle(c.workflowId!).describe().catch(() => undefined);
            return (d?.raw.pendingActivities ?? []).filter((a) => a.lastStartedTime).map(activityDetail);
          }));
          detail += ` | ${children.length} ensembles running${units.flat().length ? `: ${units.flat().join('; ')}` : ''}`;
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
