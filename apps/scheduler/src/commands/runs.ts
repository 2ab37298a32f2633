import { connectClient, DATASET_HASH, INTERVAL, SYMBOL, temporalConfigFromEnv, TRIGGER } from '@ares/pipeline';
import { iso, table } from '../format';

export interface RunsListOptions {
  symbol?: string;
  interval?: string;
  trigger?: string;
  limit: string;
}

/** Lists pipeline runs with a visibility query over the typed search attributes. */
export async function runsList(o: RunsListOptions, out: (line: string) => void = console.log): Promise<number> {
  const quote = (v: string) => `'${v.replaceAll("'", "")}'`;
  const filters = [`WorkflowType = 'trainingPipeline'`];
  if (o.symbol) filters.push(`Symbol = ${quote(o.symbol)}`);
  if (o.interval) filters.push(`Interval = ${quote(o.interval)}`);
  if (o.trigger) filters.push(`Trigger = ${quote(o.trigger)}`);
  const client = await connectClient(temporalConfigFromEnv());
  try {
    const rows: (string | undefined)[][] = [];
    const limit = Number(o.limit) || 20;
    for await (const wf of client.workflow.list({ query: filters.join(' AND ') })) {
      rows.push([
        wf.workflowId, wf.status.name, iso(wf.startTime.getTime()),
        wf.typedSearchAttributes.get(SYMBOL), wf.typedSearchAttributes.get(INTERVAL), wf.typedSearchAttributes.get(TRIGGER),
        wf.typedSearchAttributes.get(DATASET_HASH)?.slice(0, 16),
      ]);
      if (rows.length >= limit) break;
    }
    out(`query: ${filters.join(' AND ')}`);
    out(table(['WORKFLOW ID', 'STATUS', 'STARTED', 'SYMBOL', 'INTERVAL', 'TRIGGER', 'DATASET'], rows));
    return rows.length;
  } finally {
    await client.connection.close();
  }
}
