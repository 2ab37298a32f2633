import { writeFile } from 'node:fs/promises';
import { createArtifactStore } from '@ares/data';
import { connectClient, DATASET_HASH, INTERVAL, PROMOTED, SYMBOL, temporalConfigFromEnv, TRIGGER, type TrainingPipelineResult } from '@ares/pipeline';
import { CliError, iso, table } from '../format';
import { renderRunReport, RunReportDataSchema } from '../report/runReport';

export interface RunsListOptions {
  symbol?: string;
  interval?: string;
  trigger?: string;
  /** `true` / `false`: only runs step 9 promoted / refused. */
  promoted?: string;
  limit: string;
}

/** Lists pipeline runs with a visibility query over the typed search attributes. */
export async function runsList(o: RunsListOptions, out: (line: string) => void = console.log): Promise<number> {
  const quote = (v: string) => `'${v.replaceAll("'", "")}'`;
  const filters = [`WorkflowType = 'trainingPipeline'`];
  if (o.symbol) filters.push(`Symbol = ${quote(o.symbol)}`);
  if (o.interval) filters.push(`Interval = ${quote(o.interval)}`);
  if (o.trigger) filters.push(`Trigger = ${quote(o.trigger)}`);
  if (o.promoted !== undefined) {
    if (o.promoted !== 'true' && o.promoted !== 'false') throw new CliError(`--promoted must be true or false; got '${o.promoted}'`);
    filters.push(`Promoted = ${quote(o.promoted)}`);
  }
  const client = await connectClient(temporalConfigFromEnv());
  try {
    const rows: (string | undefined)[][] = [];
    const limit = Number(o.limit) || 20;
    for await (const wf of client.workflow.list({ query: filters.join(' AND ') })) {
      rows.push([
        wf.workflowId, wf.status.name, iso(wf.startTime.getTime()),
        wf.typedSearchAttributes.get(SYMBOL), wf.typedSearchAttributes.get(INTERVAL), wf.typedSearchAttributes.get(TRIGGER),
        wf.typedSearchAttributes.get(DATASET_HASH)?.slice(0, 16), wf.typedSearchAttributes.get(PROMOTED) ?? '-',
      ]);
      if (rows.length >= limit) break;
    }
    out(`query: ${filters.join(' AND ')}`);
    out(table(['WORKFLOW ID', 'STATUS', 'STARTED', 'SYMBOL', 'INTERVAL', 'TRIGGER', 'DATASET', 'PROMOTED'], rows));
    return rows.length;
  } finally {
    await client.connection.close();
  }
}

/**
 * `ares runs report <workflow id> [--out file.html]`: the self-contained HTML report of a published
 * run (out-of-sample equity and drawdown, folds, Monte Carlo, trials, gates and decision), rendered
 * from the report data its step 9 wrote.
 */
export async function runsReport(o: { run: string; out?: string }, log: (line: string) => void = console.log): Promise<string> {
  const client = await connectClient(temporalConfigFromEnv());
  let result: TrainingPipelineResult;
  try {
    result = (await client.workflow.getHandle(o.run).result()) as TrainingPipelineResult;
  } catch (err) {
    throw new CliError(`run ${o.run}: ${(err as Error).message}`);
  } finally {
    await client.connection.close();
  }
  if (!result.published) throw new CliError(`run ${o.run} has no published report (it stopped before step 9, publishRun)`);
  const store = await createArtifactStore();
  try {
    const parsed = RunReportDataSchema.safeParse(JSON.parse(Buffer.from(await store.get(result.published.reportKey)).toString()));
    if (!parsed.success) throw new CliError(`${result.published.reportKey}: field '${parsed.error.issues[0]!.path.join('.')}': ${parsed.error.issues[0]!.message}`);
    const path = o.out ?? `${o.run}-report.html`;
    await writeFile(path, renderRunReport(parsed.data, { title: `Ares run ${o.run}` }));
    log(`report   ${path}`);
    return path;
  } finally {
    await store.close();
  }
}
