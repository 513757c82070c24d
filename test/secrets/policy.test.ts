import { describe, expect, it } from 'vitest';
import { memoryMailer, memoryStorage } from '../../adapters/memory/index.js';
import { TenantryError, UserManagement } from '../../src/index.js';

const build = (policy: object) => () =>
  new UserManagement({ storage: memoryStorage(), mailer: memoryMailer(), policy });

describe('policy', () => {
  it('applies the NIST and OWASP defaults', () => {
    const um = build({})();
    expect(um.policy).toMatchObject({
      password: { minLength: 15, maxLength: 256 },
      lockout: { maxAttempts: 5, durationMs: null },
      invitationTtlMs: 7 * 86_400_000,
      resetTtlMs: 3_600_000,
      requireTermsAcceptance: false,
    });
  });

  it.each([
    ['more than 100 failed attempts before lockout (NIST SP 800-63B §5.2.2)', { lockout: { maxAttempts: 101 } }],
    ['a minimum password length below 8', { password: { minLength: 7 } }],
    ['a minimum above the maximum', { password: { minLength: 100, maxLength: 64 } }],
    ['a negative token lifetime', { resetTtlMs: -1 }],
    ['an unknown setting', { lockout: { maxAttempts: 5, forever: true } }],
  ])('refuses %s as configuration', (_, policy) => {
    expect(build(policy)).toThrow(TenantryError);
    expect(build(policy)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
