/**
 * `ares` — the Ares command line: health checks, data, training runs and their audit.
 *
 *   ares doctor
 *   ares data collect --symbol BTCUSDT --interval 1h [--source synthetic|binance|csv]
 *   ares data import --symbol BTCUSDT --interval 1h file.csv …
 *   ares data inspect <dataset hash prefix | manifest key>
 *   ares train --symbol BTCUSDT --interval 1h [--source …] [--config governor.json] [--seed n]
 *   ares train-model --symbol ADAUSDT --interval 5m --model random_forest|xgboost|lightgbm|lstm
 *   ares predict --model <bundle> --input rows.parquet
 *   ares predict --run <workflow id> [--last 5] [--threshold t] [--json]
 *   ares features inspect <run | feature dataset>
 *   ares runs list [--symbol …] [--interval …] [--promoted true|false]
 *   ares runs report <workflow id> [--out report.html]
 *   ares registry list | show | promote | rollback
 */
import { Command, Option } from 'commander';
import { dataCollect, dataInspect } from './commands/data';
import { doctor } from './commands/doctor';
import { featuresInspect } from './commands/features';
import { predictCommand } from './commands/predict';
import { predictRunCommand } from './commands/predictRun';
import { CliError } from './format';
import { analyzeCommand } from './commands/analyze';
import { trainModelCommand } from './commands/trainModel';
import { registryList, registryPromote, registryRollback, registryShow } from './commands/registry';
import { runsList, runsReport } from './commands/runs';
import { train } from './commands/train';
import type { SourceOptions } from './commands/collectRequest';

function sourceOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--symbol <symbol>', 'e.g. BTCUSDT')
    .requiredOption('--interval <interval>', 'e.g. 1h')
    .addOption(new Option('--source <source>', 'where the data comes from').choices(['synthetic', 'csv', 'binance']).default('synthetic'))
    .option('--csv <files...>', 'Binance kline CSV files (with --source csv)')
    .option('--start <time>', 'first bar: ISO date or epoch ms (synthetic default 2024-01-01)')
    .option('--end <time>', 'last bar (binance; default now)')
    .option('--bars <n>', 'number of bars (synthetic; default one year)')
    .option('--seed <n>', 'random seed of the synthetic data and (train) of every model, fold plan and search (default 42)')
    .option('--signal <x>', 'learnable signal in [0, 1]; 0 = martingale (synthetic; default 0.5)')
    .option('--edge <x>', 'informed order flow in [0, 1] that leads price by 3 bars (synthetic; default 0)')
    .option('--binance-url <url>', 'Binance spot REST base URL')
    .option('--binance-futures-url <url>', 'Binance futures REST base URL');
}

interface PredictCliOptions { run?: string; last?: string; to?: string; threshold?: string; json?: boolean; model?: string; input?: string; output?: string }

/** `ares predict`: exactly one of --run (governor of a training run) and --model (single-model bundle), each with its own options. */
async function predict(o: PredictCliOptions): Promise<void> {
  if ((o.run === undefined) === (o.model === undefined)) throw new CliError('predict needs exactly one of --run <workflowId> or --model <bundle key>');
  const foreign = o.run !== undefined ? (['input', 'output'] as const) : (['last', 'to', 'threshold', 'json'] as const);
  const misplaced = foreign.find((k) => o[k] !== undefined);
  if (misplaced) throw new CliError(`--${misplaced} goes with --${o.run !== undefined ? 'model' : 'run'}, not --${o.run !== undefined ? 'run' : 'model'}`);
  if (o.run !== undefined) {
    await predictRunCommand({ ...o, run: o.run });
    return;
  }
  if (o.input === undefined) throw new CliError('predict --model needs --input <file.parquet>');
  await predictCommand({ model: o.model!, input: o.input, ...(o.output ? { output: o.output } : {}) }, (l) => console.error(l));
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('ares').description('Ares: trading-model training on Temporal').showHelpAfterError();

  program.command('doctor').description('check every component and say how to fix what fails').action(async () => {
    process.exitCode = (await doctor()) === 0 ? 0 : 1;
  });

  const data = program.command('data').description('market data: collect, import, inspect');
  sourceOptions(data.command('collect').description('collect into the local DuckDB warehouse and publish a Parquet dataset'))
    .action(async (o: SourceOptions) => dataCollect(o));
  data.command('import').description('import Binance kline CSV files (public-data dump format)')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').argument('<files...>')
    .action(async (files: string[], o: { symbol: string; interval: string }) => dataCollect({ ...o, source: 'csv', csv: files }));
  data.command('inspect').description('summarise a dataset: manifest, quality report, column statistics').argument('<dataset>', 'dataset hash prefix or manifest key')
    .action(async (d: string) => dataInspect(d));

  sourceOptions(program.command('train').description('start a trainingPipeline run and follow its progress'))
    .addOption(new Option('--trigger <trigger>').choices(['manual', 'schedule', 'test']).default('manual'))
    .option('--workflow-id <id>', 'workflow id (default train-<symbol>-<interval>-<time>)')
    .option('--until <stage>', 'stop after this stage: collectMarketData, optimizeTargetParams, buildFeatures, pruneFeatures, regimeEnsembles, governor, tuneHyperparameters, walkForward, monteCarlo, compareChampion or publishRun (default: all)')
    .option('--train-ratio <r>', 'chronological share of rows the target-parameter search uses (default 0.8)')
    .option('--config <file.json>', 'run configuration: the governor section (pruning, ensembles, governor, searches, validation; see README), or { "governor": …, "targetSearch": … }; validated by the run')
    .option('--retry-budget <duration>', "each activity's time budget over its retries of transient failures, e.g. 6h (default ARES_RETRY_BUDGET, else 6h)")
    .option('--no-wait', 'start the run and return')
    .option('--json', 'JSON lines on stdout: started, progress (per change), result')
    .action(async (o) => {
      await train(o);
    });

  sourceOptions(program.command('train-model').description('train one model (random forest, XGBoost, LightGBM or LSTM): features → split → tune → train → evaluate → save'))
    .addOption(new Option('--model <type>').choices(['random_forest', 'xgboost', 'lightgbm', 'lstm']).default('xgboost'))
    .option('--train-ratio <r>', 'chronological training share (default 0.8; validation 0.1, test the rest)')
    .option('--skip-tuning', 'no hyperparameter search (the LSTM skips it unless asked)')
    .option('--features <names...>', 'feature columns to use (default: all)')
    .option('--trials <n>', 'randomized-search trials (default 8)')
    .option('--balance <how>', 'class balancing of training rows: none, undersample, smote')
    .option('--workflow-id <id>')
    .option('--retry-budget <duration>', "each activity's time budget over its retries of transient failures, e.g. 6h (default ARES_RETRY_BUDGET, else 6h)")
    .option('--json', 'JSON lines on stdout: started, progress (per change), result')
    .action(async (o) => {
      await trainModelCommand(o);
    });

  program.command('predict').description("predictions: a training run's governor on its latest rows (--run), or a single-model bundle on given rows (--model)")
    .option('--run <workflowId>', 'completed trainingPipeline run: its governor on the latest rows of its feature dataset')
    .option('--last <n>', 'with --run: how many of the latest rows (default 5)')
    .option('--to <time>', 'with --run: only rows at or before this time (ISO date or epoch ms)')
    .option('--threshold <t>', "with --run: decision threshold in (0, 1] (default the bundle's)")
    .option('--json', 'with --run: print the rows as JSON')
    .option('--model <key>', 'single-model bundle manifest key (models/…/manifest.json)')
    .option('--input <file.parquet>', 'with --model: rows with the trained feature columns')
    .option('--output <file>', 'with --model: write JSON lines here instead of stdout')
    .action(async (o: PredictCliOptions) => {
      await predict(o);
    });

  program.command('analyze').description('HTML report (confusion matrix, importance, probability distributions, ROC, PR, calibration) and metrics JSON for a model bundle')
    .requiredOption('--model <key>', 'bundle manifest key (models/…/manifest.json)')
    .option('--out <file.html>', 'report path (default <type>-<key>-report.html)')
    .action(async (o) => {
      await analyzeCommand(o);
    });

  const features = program.command('features').description('feature datasets');
  features.command('inspect').description('per-feature NaN counts and ranges, regime shares, label balance').argument('<run|dataset>', 'workflow id, feature-dataset hash prefix or manifest key')
    .action(async (t: string) => featuresInspect(t));

  const runs = program.command('runs').description('audit pipeline runs');
  runs.command('list').description('list runs (a visibility query over Symbol, Interval, Trigger, DatasetHash)')
    .option('--symbol <symbol>').option('--interval <interval>').option('--trigger <trigger>').option('--promoted <bool>', 'true: only runs promoted to champion; false: only refused ones').option('--limit <n>', 'rows', '20')
    .action(async (o) => {
      await runsList(o);
    });
  runs.command('report').description('self-contained HTML report of a published run: walk-forward equity and drawdown, folds, Monte Carlo, trials, gates, decision')
    .argument('<workflowId>').option('--out <file.html>', 'report path (default <workflowId>-report.html)')
    .action(async (run: string, o: { out?: string }) => {
      await runsReport({ run, ...o });
    });

  const registry = program.command('registry').description('champion models per symbol × interval (shared registry in the artifact store)');
  registry.command('list').description('every registry and its champion').action(async () => {
    await registryList();
  });
  registry.command('show').description('champion and history of promotions and rollbacks, with reasons')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').option('--json')
    .action(async (o) => {
      await registryShow(o);
    });
  registry.command('promote').description('make a published run champion by hand (recorded with the note)')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').requiredOption('--run <runKey|manifest key>').requiredOption('--note <text>')
    .action(async (o) => {
      await registryPromote(o);
    });
  registry.command('rollback').description('restore the champion before the current one (recorded with the note)')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').requiredOption('--note <text>')
    .action(async (o) => {
      await registryRollback(o);
    });

  await program.parseAsync(argv);
}
