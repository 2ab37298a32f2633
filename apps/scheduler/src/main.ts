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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { SourceOptions } from './commands/collectRequest';
import { UsageError } from './format';

// Commands are imported when they run: the Temporal client, DuckDB, the native libraries and
// TensorFlow.js load in seconds, and `ares --help` or a usage error needs none of them.
// require, not import(): this file is CommonJS, and the commands are TypeScript sources tsx compiles.
const commands = {
  data: async () => require('./commands/data') as typeof import('./commands/data'),
  doctor: async () => require('./commands/doctor') as typeof import('./commands/doctor'),
  features: async () => require('./commands/features') as typeof import('./commands/features'),
  predict: async () => require('./commands/predict') as typeof import('./commands/predict'),
  predictRun: async () => require('./commands/predictRun') as typeof import('./commands/predictRun'),
  analyze: async () => require('./commands/analyze') as typeof import('./commands/analyze'),
  trainModel: async () => require('./commands/trainModel') as typeof import('./commands/trainModel'),
  registry: async () => require('./commands/registry') as typeof import('./commands/registry'),
  runs: async () => require('./commands/runs') as typeof import('./commands/runs'),
  train: async () => require('./commands/train') as typeof import('./commands/train'),
  schedule: async () => require('./commands/schedule') as typeof import('./commands/schedule'),
};

/** `ares --version`: the package version and the checkout's commit (read from .git, no git process). */
export function version(root = join(__dirname, '..', '..', '..')): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  let commit = 'unknown commit';
  try {
    const head = readFileSync(join(root, '.git', 'HEAD'), 'utf8').trim();
    const sha = head.startsWith('ref: ') ? readFileSync(join(root, '.git', head.slice(5)), 'utf8').trim() : head;
    commit = sha.slice(0, 12);
  } catch {
    // not a git checkout (or a packed ref): the version alone
  }
  return `ares ${pkg.version} (${commit})`;
}

/** A commander argument parser for numbers: `what` is checked, and a bad value is a usage error naming it. */
export function numberOption(what: 'integer' | 'positive integer' | 'number' | 'fraction'): (value: string) => string {
  return (value: string) => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && (
      what === 'integer' ? Number.isSafeInteger(n)
        : what === 'positive integer' ? Number.isSafeInteger(n) && n > 0
          : what === 'fraction' ? n >= 0 && n <= 1 : true);
    if (!ok) throw new InvalidArgumentError(`expected ${what === 'fraction' ? 'a number in [0, 1]' : `a${what === 'integer' ? 'n' : ''} ${what}`}.`);
    return value;
  };
}

function sourceOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--symbol <symbol>', 'e.g. BTCUSDT')
    .requiredOption('--interval <interval>', 'e.g. 1h')
    .addOption(new Option('--source <source>', 'where the data comes from').choices(['synthetic', 'csv', 'binance']).default('synthetic'))
    .option('--csv <files...>', 'Binance kline CSV files (with --source csv)')
    .option('--start <time>', 'first bar: ISO date or epoch ms (synthetic default 2024-01-01)')
    .option('--end <time>', 'last bar (binance; default now)')
    .addOption(new Option('--bars <n>', 'number of bars (synthetic; default one year)').argParser(numberOption('positive integer')))
    .addOption(new Option('--seed <n>', 'random seed of the synthetic data and (train) of every model, fold plan and search (default 42)').argParser(numberOption('integer')))
    .addOption(new Option('--signal <x>', 'learnable signal in [0, 1]; 0 = martingale (synthetic; default 0.5)').argParser(numberOption('fraction')))
    .addOption(new Option('--edge <x>', 'informed order flow in [0, 1] that leads price by 3 bars (synthetic; default 0)').argParser(numberOption('fraction')))
    .option('--binance-url <url>', 'Binance spot REST base URL')
    .option('--binance-futures-url <url>', 'Binance futures REST base URL');
}

interface PredictCliOptions { run?: string; last?: string; to?: string; threshold?: string; json?: boolean; model?: string; input?: string; output?: string }

/** `ares predict`: exactly one of --run (governor of a training run) and --model (single-model bundle), each with its own options. */
async function predict(o: PredictCliOptions): Promise<void> {
  if ((o.run === undefined) === (o.model === undefined)) throw new UsageError('predict needs exactly one of --run <workflowId> or --model <bundle key>');
  const foreign = o.run !== undefined ? (['input', 'output'] as const) : (['last', 'to', 'threshold', 'json'] as const);
  const misplaced = foreign.find((k) => o[k] !== undefined);
  if (misplaced) throw new UsageError(`--${misplaced} goes with --${o.run !== undefined ? 'model' : 'run'}, not --${o.run !== undefined ? 'run' : 'model'}`);
  if (o.run !== undefined) {
    await (await commands.predictRun()).predictRunCommand({ ...o, run: o.run });
    return;
  }
  if (o.input === undefined) throw new UsageError('predict --model needs --input <file.parquet>');
  await (await commands.predict()).predictCommand({ model: o.model!, input: o.input, ...(o.output ? { output: o.output } : {}) }, (l) => console.error(l));
}

/** Appends '(required)' to every mandatory option's help text, in `cmd` and its subcommands. */
function markRequired(cmd: Command): void {
  for (const o of cmd.options) if (o.mandatory && !o.description.endsWith('(required)')) o.description = `${o.description ? `${o.description} ` : ''}(required)`;
  for (const c of cmd.commands) markRequired(c);
}

/**
 * The `ares` program. Exit codes: 0 success, 2 a usage error (unknown command or option, a
 * missing or malformed value: one line and a hint, never the whole help), 1 a runtime failure.
 */
export function program(): Command {
  const program = new Command('ares').description('Ares: trading-model training on Temporal')
    .version(version(), '-V, --version', 'the version and commit')
    .showHelpAfterError("(add --help for the command's usage)")
    .exitOverride()
    // The profile (ARES_ENV_FILE) before any command reads its configuration; not for --help.
    .hook('preAction', () => (require('./profile') as typeof import('./profile')).loadProfile());

  program.command('doctor').description('check every component and say how to fix what fails').action(async () => {
    process.exitCode = (await (await commands.doctor()).doctor()) === 0 ? 0 : 1;
  });

  const data = program.command('data').description('market data: collect, import, inspect');
  sourceOptions(data.command('collect').description('collect into the local DuckDB warehouse and publish a Parquet dataset'))
    .action(async (o: SourceOptions) => (await commands.data()).dataCollect(o));
  data.command('import').description('import Binance kline CSV files (public-data dump format)')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').argument('<files...>')
    .action(async (files: string[], o: { symbol: string; interval: string }) => (await commands.data()).dataCollect({ ...o, source: 'csv', csv: files }));
  data.command('inspect').description('summarise a dataset: manifest, quality report, column statistics').argument('<dataset>', 'dataset hash prefix or manifest key')
    .action(async (d: string) => (await commands.data()).dataInspect(d));

  sourceOptions(program.command('train').description('start a trainingPipeline run and follow its progress'))
    .addOption(new Option('--trigger <trigger>').choices(['manual', 'schedule', 'test']).default('manual'))
    .option('--workflow-id <id>', 'workflow id (default train-<symbol>-<interval>-<time>)')
    .option('--until <stage>', 'stop after this stage: collectMarketData, optimizeTargetParams, buildFeatures, pruneFeatures, regimeEnsembles, governor, tuneHyperparameters, walkForward, monteCarlo, compareChampion or publishRun (default: all)')
    .option('--train-ratio <r>', 'chronological share of rows the target-parameter search uses (default 0.8)')
    .option('--config <file.json>', 'run configuration: the governor section (pruning, ensembles, governor, searches, validation; see README), or { "governor": …, "targetSearch": … }; validated by the run')
    .option('--retry-budget <duration>', "each activity's time budget over its retries of transient failures, e.g. 6h (default ARES_RETRY_BUDGET, else 6h)")
    .option('--no-wait', 'start the run and return')
    .option('--json', 'JSON lines on stdout: started, progress (per change), result')
    .option('--allow-concurrent', 'start even while a scheduled retrain of this symbol × interval runs')
    .action(async (o) => {
      await (await commands.train()).train(o);
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
      await (await commands.trainModel()).trainModelCommand(o);
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
      await (await commands.analyze()).analyzeCommand(o);
    });

  const features = program.command('features').description('feature datasets');
  features.command('inspect').description('per-feature NaN counts and ranges, regime shares, label balance').argument('<run|dataset>', 'workflow id, feature-dataset hash prefix or manifest key')
    .action(async (t: string) => (await commands.features()).featuresInspect(t));

  const runs = program.command('runs').description('audit pipeline runs');
  runs.command('list').description('list the runs users start (trainingPipeline, trainModel): status, symbol, interval, trigger, seed, code version, headline metric')
    .option('--symbol <symbol>').option('--interval <interval>').option('--trigger <trigger>').option('--promoted <bool>', 'true: only runs promoted to champion; false: only refused ones').addOption(new Option('--limit <n>', 'rows').default('20').argParser(numberOption('positive integer')))
    .option('--all', 'also child workflows (regime ensembles, walk-forward folds, the data stages of train-model)').option('--json', 'rows as JSON')
    .action(async (o) => {
      await (await commands.runs()).runsList(o);
    });
  runs.command('report').description('self-contained HTML report of a published run: walk-forward equity and drawdown, folds, Monte Carlo, trials, gates, decision')
    .argument('<workflowId>').option('--out <file.html>', 'report path (default <workflowId>-report.html)')
    .action(async (run: string, o: { out?: string }) => {
      await (await commands.runs()).runsReport({ run, ...o });
    });

  const schedule = program.command('schedule').description('fleet retraining on Temporal Schedules: one fleetRetrain run (a trainingPipeline per symbol × interval) per firing');
  schedule.command('create').description('a schedule that starts fleetRetrain on a cron or an interval').argument('<id>', 'schedule id')
    .requiredOption('--symbols <symbols...>', 'e.g. BTCUSDT ETHUSDT').requiredOption('--intervals <intervals...>', 'e.g. 1h 4h')
    .option('--cron <expr...>', 'cron expression(s), UTC, e.g. "0 3 * * *"').option('--every <duration>', "a fixed interval, e.g. '6h' or '30s'")
    .addOption(new Option('--overlap <policy>', 'when a firing finds the last fleet still running').choices(['skip', 'buffer-one', 'buffer-all', 'cancel-other', 'terminate-other', 'allow-all']).default('skip'))
    .option('--catchup-window <duration>', 'after an outage, take missed firings this recent (default 10 minutes)')
    .option('--pause-on-failure', 'pause the schedule when a fleet run fails')
    .addOption(new Option('--concurrency <n>', 'markets retrained at once (default 2)').argParser(numberOption('positive integer')))
    .option('--until <stage>', 'stop each retrain after this stage (default: all)')
    .addOption(new Option('--source <source>', 'market data of each firing').choices(['synthetic', 'binance']).default('synthetic'))
    .addOption(new Option('--bars <n>', 'synthetic bars').argParser(numberOption('positive integer')))
    .addOption(new Option('--seed <n>', 'synthetic data seed').argParser(numberOption('integer')))
    .addOption(new Option('--signal <x>', 'synthetic signal in [0, 1]').argParser(numberOption('fraction')))
    .addOption(new Option('--edge <x>', 'synthetic informed flow in [0, 1]').argParser(numberOption('fraction')))
    .option('--note <text>', 'recorded on the schedule')
    .action(async (id: string, o) => {
      await (await commands.schedule()).scheduleCreate({ ...o, id });
    });
  schedule.command('list').description('every schedule: workflow, paused, last and next action').option('--json')
    .action(async (o) => {
      await (await commands.schedule()).scheduleList(o);
    });
  schedule.command('describe').description('spec, policies, state, actions taken / missed / skipped, running, recent and next actions').argument('<id>').option('--json')
    .action(async (id: string, o) => {
      await (await commands.schedule()).scheduleDescribe({ ...o, id });
    });
  for (const [name, what] of [['pause', 'stop firing'], ['unpause', 'fire again']] as const) {
    schedule.command(name).description(`${what} (the note is recorded on the schedule)`).argument('<id>').requiredOption('--note <text>')
      .action(async (id: string, o: { note: string }) => {
        const m = await commands.schedule();
        await (name === 'pause' ? m.schedulePause : m.scheduleUnpause)({ id, note: o.note });
      });
  }
  schedule.command('trigger').description("one firing now, under the schedule's overlap policy").argument('<id>')
    .action(async (id: string) => {
      await (await commands.schedule()).scheduleTrigger({ id });
    });
  schedule.command('backfill').description('the firings the spec would have made from start to end (both included), one after another').argument('<id>')
    .requiredOption('--start <time>', 'ISO date or epoch ms').requiredOption('--end <time>', 'ISO date or epoch ms')
    .action(async (id: string, o: { start: string; end: string }) => {
      await (await commands.schedule()).scheduleBackfill({ ...o, id });
    });
  schedule.command('update').description('new spec or policies (what is not given stays)').argument('<id>')
    .option('--cron <expr...>').option('--every <duration>')
    .addOption(new Option('--overlap <policy>').choices(['skip', 'buffer-one', 'buffer-all', 'cancel-other', 'terminate-other', 'allow-all']))
    .option('--catchup-window <duration>').option('--pause-on-failure')
    .action(async (id: string, o) => {
      await (await commands.schedule()).scheduleUpdate({ ...o, id });
    });
  schedule.command('delete').description('delete the schedule (runs it started stay)').argument('<id>')
    .action(async (id: string) => {
      await (await commands.schedule()).scheduleDelete({ id });
    });

  const registry = program.command('registry').description('champion models per symbol × interval (shared registry in the artifact store)');
  registry.command('list').description('every registry and its champion').action(async () => {
    await (await commands.registry()).registryList();
  });
  registry.command('show').description('champion and history of promotions and rollbacks, with reasons')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').option('--json')
    .action(async (o) => {
      await (await commands.registry()).registryShow(o);
    });
  registry.command('promote').description('make a published run champion by hand (recorded with the note)')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').requiredOption('--run <runKey|manifest key>').requiredOption('--note <text>')
    .action(async (o) => {
      await (await commands.registry()).registryPromote(o);
    });
  registry.command('rollback').description('restore the champion before the current one (recorded with the note)')
    .requiredOption('--symbol <symbol>').requiredOption('--interval <interval>').requiredOption('--note <text>')
    .action(async (o) => {
      await (await commands.registry()).registryRollback(o);
    });

  markRequired(program);
  return program;
}

/** Runs the CLI on `argv`; resolves to the exit code (commander's own messages are already printed). */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
}
