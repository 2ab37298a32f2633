/** Workflow entry point for the worker's bundler: every workflow the pipeline registers. */
export { regimeEnsemble } from './regimeEnsemble';
export { trainingPipeline } from './trainingPipeline';
export { trainModel } from './trainModel';
export { walkForwardFold } from './walkForwardFold';
export { fleetRetrain } from './fleetRetrain';
