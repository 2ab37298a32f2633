/** Workflow entry point for the worker's bundler: every workflow the pipeline registers. */
export { trainingPipeline } from './trainingPipeline';
export { trainModel } from './trainModel';
