import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import { describeStorageContract } from '../../src/testing/index.js';

await describeStorageContract('memory', () => memoryStorage());

describe('memory storage: reading a session outside transactions', () => {
  it('declines while a transaction runs, so it never sees uncommitted writes', async () => {
    const storage = memoryStorage();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = storage.transaction(() => held);
    expect(await storage.readSession('s'.repeat(64))).toBeUndefined();
    release();
    await running;
    expect(await storage.readSession('s'.repeat(64))).toBeNull();
  });
});
