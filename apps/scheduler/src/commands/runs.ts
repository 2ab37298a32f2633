import { writeFile } from 'node:fs/promises';
import { createArtifactStore } from '@ares/data';
import { connectClient, DATASET_HASH, INTERVAL, PROMOTED, SYMBOL, temporalConfigFromEnv, TRIGGER, type TrainingPipelineResult } from '@ares/pipeline';
import { CliError, iso, table, UsageError } from '../format';
import { renderRunReport, RunReportDataSchema } from '../report/runReport';

export interface RunsListOptions {
  symbol?: string;
  interval?: string;
  trigger?: string;
  /** `true` / `false`: only runs step 9 promoted / refused. */
  promoted?: string;
  limit: string;
  /** Also child workflows (regime ensembles, walk-forward folds, trainModel's data stages). */
  all?: boolean;
  json?: boolean;
}

/** The workflow types a user starts: training runs, single-model runs and fleets (other children only with --all). */
export const USER_RUN_TYPES = ['trainingPipeline', 'trainModel', 'fleetRetrain'] as const;

/** One row of `runs list`. */
export interface RunRow {
  workflowId: string;
  type: string;
  status: string;
  started: string;
  symbol?: string;
  interval?: string;
  trigger?: string;
  seed?: number;
  codeVersion?: string;
  headline?: string;
  dataset?: string;
  promoted?: string;
  parent?: string;
}

/**
 * Lists runs with a visibility query over the typed search attributes: by default the runs users
 * start (no child workflows); seed, code version and headline come from the run's memo.
 */
export async function runsList(o: RunsListOptions, out: (line: string) => void = console.log): Promise<number> {
  const quote = (v: string) => `'${v.replaceAll("'", "")}'`;
  // A fleet's retrains are children, but each is a market's training run: listed too.
  const filters = o.all ? [] : [`WorkflowType IN (${USER_RUN_TYPES.map(quote).join(', ')})`, `(ParentWorkflowId IS NULL OR \`Trigger\` = 'schedule')`];
  if (o.symbol) filters.push(`\`Symbol\` = ${quote(o.symbol)}`);
  if (o.interval) filters.push(`\`Interval\` = ${quote(o.interval)}`);
  if (o.trigger) filters.push(`\`Trigger\` = ${quote(o.trigger)}`);
  if (o.promoted !== undefined) {
    if (o.promoted !== 'true' && o.promoted !== 'false') throw new UsageError(`--promoted must be true or false; got '${o.promoted}'`);
    filters.push(`\`Promoted\` = ${quote(o.promoted)}`);
  }
  const limit = Number(o.limit);
  if (!(Number.isSafeInteger(limit) && limit > 0)) throw new UsageError(`--limit must be a positive integer; got '${o.limit}'`);
  const client = await connectClient(temporalConfigFromEnv());
  try {
    const rows: RunRow[] = [];
    const query = filters.join(' AND ');
    for await (const wf of client.workflow.list(query ? { query } : {})) {
      const memo = (wf.memo ?? {}) as { seed?: unknown; codeVersion?: unknown; headline?: unknown };
      const attr = wf.typedSearchAttributes;
      rows.push({
        workflowId: wf.workflowId, type: wf.type, status: wf.status.name, started: iso(wf.startTime.getTime()),
        ...(attr.get(SYMBOL) ? { symbol: attr.get(SYMBOL) } : {}),
        ...(attr.get(INTERVAL) ? { interval: attr.get(INTERVAL) } : {}),
        ...(attr.get(TRIGGER) ? { trigger: attr.get(TRIGGER) } : {}),
        ...(typeof memo.seed === 'number' ? { seed: memo.seed } : {}),
        ...(typeof memo.codeVersion === 'string' ? { codeVersion: memo.codeVersion } : {}),
        ...(typeof memo.headline === 'string' ? { headline: memo.headline } : {}),
        ...(attr.get(DATASET_HASH) ? { dataset: attr.get(DATASET_HASH) } : {}),
        ...(attr.get(PROMOTED) ? { promoted: attr.get(PROMOTED) } : {}),
        ...(wf.parentExecution?.workflowId ? { parent: wf.parentExecution.workflowId } : {}),
      });
      if (rows.length >= limit) break;
    }
    if (o.json) {
      out(JSON.stringify(rows, null, 2));
      return rows.length;
    }
    out(`query: ${query || '(all workflows)'}`);
    out(table(
      ['WORKFLOW ID', 'TYPE', 'STATUS', 'STARTED', 'SYMBOL', 'INTERVAL', 'TRIGGER', 'SEED', 'CODE', 'HEADLINE', 'DATASET', 'PROMOTED'],
      rows.map((r) => [r.workflowId, r.type, r.status, r.started, r.symbol, r.interval, r.trigger, r.seed, r.codeVersion?.slice(0, 12), r.headline, r.dataset?.slice(0, 16), r.promoted]),
    ));
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
