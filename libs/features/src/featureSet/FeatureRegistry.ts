import type { z } from 'zod';
import { InvalidFeatureParamsError, UnknownFeatureError } from '../errors';
import type { FeatureDef } from './FeatureDef';

/** A feature resolved from a set: its definition, validated parameters and output names. */
export interface ResolvedFeature {
  def: FeatureDef;
  params: unknown;
  outputs: string[];
  warmup: number;
  /** Where it came from in the config, for messages, e.g. "features[3]". */
  path: string;
}

/** The registered features by name. */
export class FeatureRegistry {
  private readonly defs = new Map<string, FeatureDef>();

  constructor(defs: readonly FeatureDef[]) {
    for (const d of defs) {
      if (this.defs.has(d.name)) throw new Error(`feature '${d.name}' is registered twice`);
      this.defs.set(d.name, d);
    }
  }

  names(): string[] {
    return [...this.defs.keys()].sort();
  }

  list(): FeatureDef[] {
    return this.names().map((n) => this.defs.get(n)!);
  }

  /** Resolves a spec: unknown names and invalid parameters fail with the feature, parameter and value named. */
  resolve(spec: { name: string; params?: Record<string, unknown> }, path: string): ResolvedFeature {
    const def = this.defs.get(spec.name);
    if (!def) {
      const near = this.names().filter((n) => n.includes(spec.name) || spec.name.includes(n) || n[0] === spec.name[0]).slice(0, 8);
      throw new UnknownFeatureError(`unknown feature '${spec.name}' at ${path}${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''} (${this.defs.size} registered: ares features list)`);
    }
    const parsed = (def.params as z.ZodType).safeParse(spec.params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.join('.') || '(params)';
      const value = issue.path.length ? (spec.params as Record<string, unknown> | undefined)?.[String(issue.path[0])] : spec.params;
      throw new InvalidFeatureParamsError(`feature '${spec.name}' at ${path}: parameter '${key}' = ${JSON.stringify(value)}: ${issue.message}`);
    }
    return { def, params: parsed.data, outputs: def.outputs(parsed.data), warmup: def.warmup(parsed.data), path };
  }
}
