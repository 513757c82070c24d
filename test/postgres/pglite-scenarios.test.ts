import { describeScenarios } from '../scenarios/all.js';
import { pgliteSchemas } from '../support/pglite-clones.js';

describeScenarios('pglite', pgliteSchemas());
