import { describe, expect, it } from 'vitest';
import { defaultMailTemplates } from '../../src/mail/templates.js';

const context = {
  locale: 'de-DE',
  firstName: '<b>Eve</b> & "Co"',
  lastName: 'Evil',
  organizationName: 'Acme <script>',
  link: 'https://portal.example.test/accept-invitation?token=abc&x="y"',
  expiresAt: new Date('2026-03-09T09:00:00Z'),
};

describe('default mail templates', () => {
  it.each(['invitation', 'password-reset', 'email-changed', 'account-locked'])(
    'renders %s as text and escaped HTML',
    (kind) => {
      const mail = defaultMailTemplates[kind]?.({ kind, ...context });
      expect(mail?.subject.length).toBeGreaterThan(5);
      expect(mail?.text).toContain('Hello <b>Eve</b>');
      expect(mail?.html).toContain('Hello &#60;b&#62;Eve&#60;/b&#62; &#38; &#34;Co&#34;');
      expect(mail?.html).not.toMatch(/<b>|<script>/);
    },
  );

  it('puts the one actionable link in both parts, and the expiry in the user’s locale', () => {
    const mail = defaultMailTemplates.invitation?.({ kind: 'invitation', ...context });
    expect(mail?.text).toContain(context.link);
    expect(mail?.html).toContain('href="https://portal.example.test/accept-invitation?token=abc&#38;x=&#34;y&#34;"');
    expect(mail?.text).toContain('9. März 2026');
  });
});
