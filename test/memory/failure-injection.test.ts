import { memoryStorage } from '../../adapters/memory/index.js';
import { describeFailureInjection } from '../contract/failure-injection.js';

describeFailureInjection('memory', async () => {
  const storage = memoryStorage();
  return { storage, dump: async () => storage.snapshot() };
});
