import { z } from 'zod';

/** A window length parameter: an integer >= min, with a default. */
export const periodParam = (min: number, dflt: number) => z.number().int().min(min).default(dflt);

/** A real parameter as it appears in a column name: 2 -> "2", 1.5 -> "1p5". */
export const tag = (x: number): string => String(x).replace('.', 'p');
