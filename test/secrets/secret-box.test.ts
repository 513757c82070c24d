import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/secrets/secret-box.js';

const key = (byte: number) => new Uint8Array(32).fill(byte);

describe('SecretBox', () => {
  it('opens what it sealed, for the context it was sealed for only', () => {
    const box = new SecretBox([{ id: 'k1', key: key(1) }]);
    const sealed = box.seal('the secret', 'outbox-link:abc') as string;
    expect(sealed).toMatch(/^k1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret');
    expect(box.open(sealed, 'outbox-link:abc')).toBe('the secret');
    expect(box.open(sealed, 'outbox-link:abd')).toBeNull();
    expect(box.seal('the secret', 'outbox-link:abc')).not.toBe(sealed);
  });

  it('refuses an altered value, and seals with the first key while older keys still open', () => {
    const old = new SecretBox([{ id: 'old', key: key(1) }]);
    const sealed = old.seal('kept for later', 'ctx') as string;
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(old.open(altered, 'ctx')).toBeNull();
    const rotated = new SecretBox([
      { id: 'new', key: Buffer.from(key(2)).toString('base64') },
      { id: 'old', key: key(1) },
    ]);
    expect(rotated.open(sealed, 'ctx')).toBe('kept for later');
    expect(rotated.seal('x', 'ctx')?.startsWith('new.')).toBe(true);
    expect(new SecretBox([{ id: 'new', key: key(2) }]).open(sealed, 'ctx')).toBeNull();
  });

  it('seals nothing without a key, and refuses keys of the wrong size or name', () => {
    expect(new SecretBox([]).seal('x', 'ctx')).toBeNull();
    expect(new SecretBox([]).canSeal).toBe(false);
    expect(() => new SecretBox([{ id: 'short', key: new Uint8Array(16) }])).toThrow(RangeError);
    expect(() => new SecretBox([{ id: 'bad id!', key: key(3) }])).toThrow(RangeError);
  });
});
