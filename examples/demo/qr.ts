import QRCode from 'qrcode';

/** The longest URI drawn: an `otpauth://` URI of tenantry is about 150 characters (issuer, address, secret). */
export const maxQrText = 1000;

/**
 * An authenticator app's `otpauth://` URI as a QR code, in SVG (the `qrcode` package): drawn by the server
 * so the page needs no bundled library, and taken from a request body so the secret it carries never
 * stands in an address (logs, history). Anything but an `otpauth://` URI of reasonable length is refused.
 */
export async function otpauthQrSvg(uri: unknown): Promise<string | null> {
  if (typeof uri !== 'string' || uri.length > maxQrText || !uri.startsWith('otpauth://')) return null;
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
