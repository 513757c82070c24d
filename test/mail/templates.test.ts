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

  it('keeps each mail in its own user’s locale across many locales, and falls back to ISO for one Intl refuses', () => {
    const expiry = (locale: string) =>
      defaultMailTemplates
        .invitation?.({ kind: 'invitation', ...context, locale })
        .text.match(/until (.*) \(UTC\)/)?.[1];
    const locales = ['en-US', 'fr-FR', 'de-DE', 'ja-JP', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR', 'sv-SE', 'pl-PL'];
    // More locales than the formatters kept, twice over, and each answer the same as a fresh formatter's.
    const many = Array.from({ length: 80 }, (_, index) => `${locales[index % locales.length]}-u-nu-latn-x-n${index}`);
    for (const locale of [...locales, ...many, ...locales]) {
      const fresh = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
      expect(expiry(locale)).toBe(fresh.format(context.expiresAt));
    }
    expect(expiry('de-DE')).toContain('9. März 2026');
    expect(expiry('not a locale!')).toBe('2026-03-09T09:00:00.000Z');
  });
});
