import type { Model, SavedModel } from './core/Model';
import { MODEL_TYPES, type ModelType } from './bundle/ModelManifest';
import { UnknownModelTypeError } from './errors';
import { createRandomForest, LightGBMModel } from './lightgbm';
import { LstmModel } from './lstm';
import { XGBoostModel } from './xgboost';

/** Checks a model type name; an unknown one is named with the choices. */
export function parseModelType(type: string): ModelType {
  if (!(MODEL_TYPES as readonly string[]).includes(type)) throw new UnknownModelTypeError(`unknown model type '${type}'; choose one of ${MODEL_TYPES.join(', ')}`);
  return type as ModelType;
}

/**
 * Creates an untrained model of a type with its options (each type validates its own options
 * with zod and names a bad one). The random forest is LightGBM's `rf` boosting.
 */
export async function createModel(type: string, options: Record<string, unknown> = {}): Promise<Model> {
  switch (parseModelType(type)) {
    case 'lightgbm': return LightGBMModel.create(options as never);
    case 'random_forest': return createRandomForest(options as never);
    case 'xgboost': return XGBoostModel.create(options as never);
    case 'lstm': return LstmModel.create(options as never);
  }
}

/** Restores a trained model from its saved files and state. */
export async function loadModel(saved: SavedModel): Promise<Model> {
  switch (parseModelType(saved.type)) {
    case 'lightgbm':
    case 'random_forest': return LightGBMModel.load(saved);
    case 'xgboost': return XGBoostModel.load(saved);
    case 'lstm': return LstmModel.load(saved);
  }
}
