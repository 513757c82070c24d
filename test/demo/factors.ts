import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { Page } from 'playwright-core';

/** The code an authenticator app shows for `secret` (base32, spaces allowed), `ahead` steps of 30 s from now. */
export function totpCode(secret: string, ahead = 0): string {
  const step = BigInt(Math.floor(Date.now() / 30_000) + ahead);
  return generateHOTP(decodeBase32IgnorePadding(secret.replace(/\s/g, '')), step, 6);
}

/** Gives the page's context Chromium's virtual authenticator: a passkey store that verifies its user. */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
}
