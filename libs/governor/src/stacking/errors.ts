import { InvalidInputError } from '@ares/data';

/** Bad input to the stacking helpers (folds that overlap or leave their range, mismatched lengths, ...). */
export class StackingInputError extends InvalidInputError {}
