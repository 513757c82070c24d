import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActorFacts } from '../../src/rules/index.js';
import { checkOrganizationCreation } from '../../src/rules/index.js';
import type { OrganizationKind } from '../../src/types.js';
import { actor, chainOf, forest, inForest, operator, system } from './fixtures.js';

const actors: Record<string, ActorFacts> = {
  operator,
  system,
  'P customer manager': actor('P', ['customers.manage']),
  'P admin': actor('P', ['org.admin']),
  'P admin and customer manager': actor('P', ['org.admin', 'customers.manage']),
  'P member': actor('P'),
  'Q customer manager': actor('Q', ['customers.manage']),
  'C1 admin': actor('C1', ['org.admin']),
  'C1a admin': actor('C1a', ['org.admin']),
  'C1 member': actor('C1'),
  'S admin': actor('S', ['org.admin']),
};

interface Input {
  kind?: OrganizationKind | undefined;
  parent?: string | undefined;
  partner?: string | undefined;
  operatorFields?: boolean | undefined;
}

function decide(who: string, input: Input) {
  const by = actors[who];
  if (!by) throw new Error(`No actor ${who}`);
  return checkOrganizationCreation({
    actor: by,
    kind: input.kind ?? 'standard',
    parentChain: input.parent === undefined ? null : chainOf(forest, input.parent),
    partner: input.partner === undefined ? null : inForest(input.partner),
    setsOperatorFields: input.operatorFields ?? false,
  });
}

describe('checkOrganizationCreation', () => {
  it.each<[string, string, Input, string | null]>([
    // the operator and system jobs
    ['the operator may create a top-level company', 'operator', {}, null],
    [
      'the operator may create a partner with features and attributes',
      'operator',
      { kind: 'partner', operatorFields: true },
      null,
    ],
    ['the operator may create a customer of any partner', 'operator', { partner: 'Q' }, null],
    ['the operator may create a sub-organization anywhere', 'operator', { parent: 'C1a1' }, null],
    ['a system job may create what the operator may', 'system', { kind: 'partner', partner: 'P', parent: 'S' }, null],
    ['the operator must name a partner as partnerId', 'operator', { partner: 'S' }, 'VALIDATION_FAILED'],
    ['a system job must name a partner as partnerId', 'system', { partner: 'C1' }, 'VALIDATION_FAILED'],
    // customer managers
    ['a customer manager may create a customer of their own partner', 'P customer manager', { partner: 'P' }, null],
    [
      'a customer manager may create a customer under a customer they serve',
      'P customer manager',
      { partner: 'P', parent: 'C1' },
      null,
    ],
    ['a customer manager may create a sub-organization of a customer', 'P customer manager', { parent: 'C1a' }, null],
    ['a customer manager cannot create for another partner', 'P customer manager', { partner: 'Q' }, 'NOT_FOUND'],
    [
      'naming another tenant standard org as partner is not found, not invalid',
      'P customer manager',
      { partner: 'S' },
      'NOT_FOUND',
    ],
    [
      'naming a customer as partner is not found for a customer manager',
      'P customer manager',
      { partner: 'C1' },
      'NOT_FOUND',
    ],
    [
      'a customer manager cannot create a partner',
      'P customer manager',
      { kind: 'partner', partner: 'P' },
      'FORBIDDEN',
    ],
    [
      'a customer manager cannot set operator fields',
      'P customer manager',
      { partner: 'P', operatorFields: true },
      'FORBIDDEN',
    ],
    ['a customer manager cannot create a top-level company', 'P customer manager', {}, 'FORBIDDEN'],
    ['a customer manager cannot create under their own partner', 'P customer manager', { parent: 'P' }, 'FORBIDDEN'],
    [
      'a customer manager cannot create under another partner customer',
      'P customer manager',
      { parent: 'D' },
      'NOT_FOUND',
    ],
    [
      'a customer manager cannot hang a customer under another tenant',
      'P customer manager',
      { partner: 'P', parent: 'S' },
      'NOT_FOUND',
    ],
    ['a partner admin without customers.manage cannot create customers', 'P admin', { partner: 'P' }, 'FORBIDDEN'],
    ['a partner member cannot create customers', 'P member', { partner: 'P' }, 'FORBIDDEN'],
    ['an admin and customer manager may create customers', 'P admin and customer manager', { partner: 'P' }, null],
    ['another partner customer manager cannot create for P', 'Q customer manager', { partner: 'P' }, 'NOT_FOUND'],
    // org admins and sub-organizations
    ['an org admin may create a sub-organization of their organization', 'C1 admin', { parent: 'C1' }, null],
    ['an org admin may create a sub-organization deeper down', 'C1 admin', { parent: 'C1a1' }, null],
    ['a partner admin may create a sub-organization of the partner', 'P admin', { parent: 'P' }, null],
    ['a sub-organization admin cannot create under the parent', 'C1a admin', { parent: 'C1' }, 'NOT_FOUND'],
    ['an org admin cannot create under another tenant', 'S admin', { parent: 'C1' }, 'NOT_FOUND'],
    ['a partner admin cannot create under the partner customers', 'P admin', { parent: 'C1' }, 'NOT_FOUND'],
    ['a member cannot create under their own organization', 'C1 member', { parent: 'C1' }, 'FORBIDDEN'],
    ['an org admin cannot create a top-level company', 'C1 admin', {}, 'FORBIDDEN'],
    [
      'an org admin cannot create a partner sub-organization',
      'C1 admin',
      { kind: 'partner', parent: 'C1' },
      'FORBIDDEN',
    ],
    ['an org admin cannot set operator fields', 'C1 admin', { parent: 'C1', operatorFields: true }, 'FORBIDDEN'],
    ['an org admin cannot name the partner serving them', 'C1 admin', { parent: 'C1', partner: 'P' }, 'NOT_FOUND'],
    [
      'an org admin naming their own standard organization as partner is invalid',
      'S admin',
      { partner: 'S' },
      'VALIDATION_FAILED',
    ],
  ])('%s', (_name, who, input, code) => {
    const decision = decide(who, input);
    expect(decision.ok ? null : decision.code).toBe(code);
  });
});

describe('checkOrganizationCreation properties', () => {
  const ids = [...forest.keys()];
  const inputArb = fc.record({
    kind: fc.constantFrom<OrganizationKind>('standard', 'partner'),
    parent: fc.option(fc.constantFrom(...ids), { nil: undefined }),
    partner: fc.option(fc.constantFrom(...ids), { nil: undefined }),
    operatorFields: fc.boolean(),
  });

  it('lets the operator and system jobs create anything whose partnerId names a partner', () => {
    fc.assert(
      fc.property(fc.constantFrom('operator', 'system'), inputArb, (who, input) => {
        const valid = input.partner === undefined || inForest(input.partner).kind === 'partner';
        const decision = decide(who, input);
        if (valid) expect(decision).toEqual({ ok: true });
        else expect(decision).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      }),
    );
  });

  it('answers NOT_FOUND to a user naming any organization but their own as partner', () => {
    const users = Object.keys(actors).filter((who) => who !== 'operator' && who !== 'system');
    fc.assert(
      fc.property(fc.constantFrom(...users), inputArb, (who, input) => {
        const by = actors[who];
        fc.pre(by?.type === 'user' && input.partner !== undefined && input.partner !== by.organizationId);
        expect(decide(who, input)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      }),
    );
  });

  it('never lets a user create a partner, set operator fields or create a top-level company without a partner', () => {
    const users = Object.keys(actors).filter((who) => who !== 'operator' && who !== 'system');
    fc.assert(
      fc.property(fc.constantFrom(...users), inputArb, (who, input) => {
        fc.pre(input.kind === 'partner' || input.operatorFields || (input.parent === undefined && !input.partner));
        expect(decide(who, input).ok).toBe(false);
      }),
    );
  });
});
