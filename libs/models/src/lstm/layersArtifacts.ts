import * as tf from '@tensorflow/tfjs';
import { LstmLoadError } from './errors';

/** The two files of a saved network, in TensorFlow.js' own layers-model format (tf.loadLayersModel reads them from disk too). */
export interface LayersModelFiles {
  /** `model.json`: { format, generatedBy, modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights }] }. */
  'model.json': Uint8Array;
  /** `weights.bin`: every weight as little-endian float32, in weightsManifest order. */
  'weights.bin': Uint8Array;
}

const WEIGHTS_FILE = 'weights.bin';

/** Serialises a LayersModel through tf.io.withSaveHandler into model.json + weights.bin. */
export async function saveLayersModel(model: tf.LayersModel): Promise<LayersModelFiles> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (artifacts?.modelTopology === undefined || artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
    throw new Error('TensorFlow.js save handler received no topology or weights');
  }
  const modelJson: tf.io.ModelJSON = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  return {
    'model.json': new TextEncoder().encode(JSON.stringify(modelJson)),
    'weights.bin': new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
  };
}

/** Rebuilds a LayersModel from model.json + weights.bin through tf.io.fromMemory. */
export async function loadLayersModel(files: Record<string, Uint8Array>): Promise<tf.LayersModel> {
  const json = files['model.json'];
  const weights = files[WEIGHTS_FILE];
  if (json === undefined || weights === undefined) {
    throw new LstmLoadError(`a saved LSTM needs files 'model.json' and '${WEIGHTS_FILE}'; got ${JSON.stringify(Object.keys(files))}`);
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(json)) as tf.io.ModelJSON;
  } catch (err) {
    throw new LstmLoadError(`model.json is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const manifest = modelJson.weightsManifest;
  if (manifest?.length !== 1 || manifest[0]!.paths.length !== 1 || manifest[0]!.paths[0] !== WEIGHTS_FILE) {
    throw new LstmLoadError(`model.json must list one weights file '${WEIGHTS_FILE}'; got ${JSON.stringify(manifest?.map((g) => g.paths))}`);
  }
  // Copy: the Uint8Array may be a view into a larger buffer (e.g. a Node Buffer from a bundle).
  const weightData = weights.slice().buffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: manifest[0]!.weights, weightData }));
}
