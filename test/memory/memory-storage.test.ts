import { memoryStorage } from '../../adapters/memory/index.js';
import { describeStorageContract } from '../contract/storage.js';

describeStorageContract('memory', () => memoryStorage());
