/** Test helpers for the LSTM (synthetic chronological sequences); not part of the main barrel. */
export { SUM5_TERCILE, sliceRows, syntheticSequences, type SyntheticSequenceOptions } from './syntheticSequences';
