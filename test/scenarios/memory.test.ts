import { memoryStorage } from '../../adapters/memory/index.js';
import { describeConcurrency } from './concurrency.js';

describeConcurrency('memory', memoryStorage);
