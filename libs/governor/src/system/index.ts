export { assembleGovernorData, stackSlices, type GovernorData, type GovernorSlice } from './assemble';
export { trainGovernorSystem, type GovernorSystem, type GovernorSystemOptions } from './inProcess';
export { planGovernorTraining, POOLED, type EnsembleUnit, type GovernorPlan, type GovernorSplit, type PlanInput, type RegimePlan } from './plan';
export { scoreGovernorTest, scoreSlice, type GovernorScores, type SliceScores } from './score';
export { trainEnsembleUnit, type EnsembleUnitOptions, type EnsembleUnitResult } from './unit';
