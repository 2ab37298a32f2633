/**
 * `ares` — the Ares command line: health checks, data, training runs and their audit.
 *
 *   ares doctor
 *   ares data collect --symbol BTCUSDT --interval 1h [--source synthetic|binance|csv]
 *   ares data import --symbol BTCUSDT --interval 1h file.csv …
 *   ares data inspect <dataset hash prefix | manifest key>
 *   ares train --symbol BTCUSDT --interval 1h [--source …]
 *   ares train-model --symbol ADAUSDT --interval 5m --model random_forest|xgboost|lightgbm|lstm
 *   ares predict --model <bundle> --input rows.parquet
 *   ares features inspect <run | feature dataset>
 *   ares runs list [--symbol …] [--interval …]
 */
import { Command, Option } from 'commander';
import { dataCollect, dataInspect } from './commands/data';
import { doctor } from './commands/doctor';
import { featuresInspect } from './commands/features';
import { predictCommand } from './commands/predict';
import { analyzeCommand } from './commands/analyze';
import { trainModelCommand } from './commands/trainModel';
import { runsList } from './commands/runs';
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
    .option('--seed <n>', 'random seed (synthetic; default 42)')
    .option('--signal <x>', 'learnable signal in [0, 1]; 0 = martingale (synthetic; default 0.5)')
    .option('--binance-url <url>', 'Binance spot REST base URL')
    .option('--binance-futures-url <url>', 'Binance futures REST base URL');
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
    .option('--until <stage>', 'stop after this stage: collectMarketData, optimizeTargetParams or buildFeatures')
    .option('--train-ratio <r>', 'chronological share of rows used for training (default 0.8)')
    .option('--no-wait', 'start the run and return')
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
    .action(async (o) => {
      await trainModelCommand(o);
    });

  program.command('predict').description('predictions and probabilities from a saved model bundle, aligned to the input rows')
    .requiredOption('--model <key>', 'bundle manifest key (models/…/manifest.json)')
    .requiredOption('--input <file.parquet>', 'rows with the trained feature columns')
    .option('--output <file>', 'write JSON lines here instead of stdout')
    .action(async (o) => {
      await predictCommand(o, (l) => console.error(l));
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
    .option('--symbol <symbol>').option('--interval <interval>').option('--trigger <trigger>').option('--limit <n>', 'rows', '20')
    .action(async (o) => {
      await runsList(o);
    });

  await program.parseAsync(argv);
}
