import { InvalidInputError } from '@ares/data';

/** Malformed governor input: unknown regime, mismatched row counts, bad validFrom, bad labels. */
export class GovernorInputError extends InvalidInputError {}
