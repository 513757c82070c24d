import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamlTestIdp, startSamlIdp } from '../support/saml-idp.js';
import {
  ann,
  child,
  decoded,
  encoded,
  first,
  idp,
  mallory,
  NS,
  naiveNameId,
  refusal,
  signIn,
  useSamlIdp,
  validate,
} from './saml-support.js';

useSamlIdp();
let otherKeyIdp: SamlTestIdp;
beforeAll(async () => {
  // The same entity id with another key: only the signature tells them apart.
  otherKeyIdp = await startSamlIdp({ entityId: idp.entityId });
});
afterAll(() => otherKeyIdp?.close());

describe('a response is refused', () => {
  it('unsigned, response and assertion both', async () => {
    const { samlResponse, requestId } = await signIn({ signing: 'none' });
    expect(decoded(samlResponse).getElementsByTagNameNS(NS.ds, 'Signature')).toHaveLength(0);
    expect(await refusal(validate(samlResponse, requestId))).toBe('signature-invalid');
  });

  it.each(['assertion', 'both'] as const)('signed by another key (%s)', async (signing) => {
    const { samlResponse, requestId } = await signIn({ signing }, { idp: otherKeyIdp });
    expect(await refusal(validate(samlResponse, requestId))).toBe('signature-invalid');
  });

  describe('when the signed assertion is wrapped so that a naive parser reads the attacker’s', () => {
    // The attacker's assertion: a copy of the signed one, for another person.
    function forge(signed: Element, keepSignature: boolean): Element {
      const forged = signed.cloneNode(true) as Element;
      const signature = child(forged, NS.ds, 'Signature');
      if (signature && !keepSignature) forged.removeChild(signature);
      const texts = [
        first(forged, NS.saml, 'NameID'),
        ...Array.from(forged.getElementsByTagNameNS(NS.saml, 'AttributeValue')),
      ];
      for (const element of texts.filter((node) => node.textContent === ann.email)) {
        element.replaceChild(element.ownerDocument.createTextNode(mallory), element.firstChild!);
      }
      return forged;
    }
    const attacks: Record<string, (response: Element, signed: Element) => void> = {
      'duplicated before the signed one': (response, signed) => response.insertBefore(forge(signed, false), signed),
      'moved into Extensions, the copy in its place': (response, signed) => {
        const extensions = response.ownerDocument.createElementNS(NS.samlp, 'samlp:Extensions');
        response.replaceChild(forge(signed, false), signed);
        extensions.appendChild(signed);
        response.insertBefore(extensions, first(response, NS.samlp, 'Status'));
      },
      'nested in the signature of a copy with the same ID': (response, signed) => {
        const forged = forge(signed, true);
        response.replaceChild(forged, signed);
        first(forged, NS.ds, 'Signature').appendChild(signed);
      },
      'nested in the signature of a copy with another ID': (response, signed) => {
        const forged = forge(signed, true);
        forged.setAttribute('ID', '_forged');
        response.replaceChild(forged, signed);
        first(forged, NS.ds, 'Signature').appendChild(signed);
      },
    };

    it('keeps a valid signature through the round trip it uses', async () => {
      const { samlResponse, requestId } = await signIn();
      expect((await validate(encoded(decoded(samlResponse)), requestId)).subject).toBe(ann.nameId);
    });

    it.each(Object.keys(attacks))('%s', async (attack) => {
      const { samlResponse, requestId } = await signIn();
      const document = decoded(samlResponse);
      attacks[attack]!(document.documentElement, first(document, NS.saml, 'Assertion'));
      expect(naiveNameId(document)).toBe(mallory);
      expect(await refusal(validate(encoded(document), requestId))).toBe('signature-invalid');
    });

    it('a signed response inside a forged one', async () => {
      const { samlResponse, requestId } = await signIn({ signing: 'response' });
      const document = decoded(samlResponse);
      const original = document.documentElement;
      const outer = original.cloneNode(true) as Element;
      outer.removeChild(first(outer, NS.ds, 'Signature'));
      const assertion = first(outer, NS.saml, 'Assertion');
      outer.replaceChild(forge(assertion, false), assertion);
      document.replaceChild(outer, original);
      const extensions = document.createElementNS(NS.samlp, 'samlp:Extensions');
      extensions.appendChild(original);
      outer.insertBefore(extensions, first(outer, NS.samlp, 'Status'));
      expect(naiveNameId(document)).toBe(mallory);
      expect(await refusal(validate(encoded(document), requestId))).toBe('signature-invalid');
    });
  });
});
