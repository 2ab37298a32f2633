/**
 * The value of `<set>-<metric>` in an XGBoosterEvalOneIter line such as
 * "[12]\tvalid-mlogloss:0.82812863588333130" (XGBoost prints max_digits10 digits, so the double
 * round-trips). NaN when XGBoost printed nan; throws when the line does not have the metric.
 */
export function parseEvalLine(line: string, set: string, metric: string): number {
  const key = `\t${set}-${metric}:`;
  const start = line.indexOf(key);
  if (start < 0) throw new Error(`XGBoosterEvalOneIter returned ${JSON.stringify(line)}, which has no ${set}-${metric} value`);
  const text = line.slice(start + key.length).split(/\s/, 1)[0]!;
  const value = /^-?nan$/i.test(text) ? Number.NaN : Number(text);
  if (Number.isNaN(value) && !/nan/i.test(text)) throw new Error(`XGBoosterEvalOneIter returned ${JSON.stringify(line)}: '${text}' is not a number`);
  return value;
}
