import { memoryStorage } from '../../adapters/memory/index.js';
import { describeScenarios } from './all.js';

describeScenarios('memory', memoryStorage);
