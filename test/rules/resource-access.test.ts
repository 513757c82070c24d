import { describe, expect, it } from 'vitest';
import { definePermissions } from '../../src/catalog.js';
import { defineResources } from '../../src/resources.js';
import type { ActorFacts } from '../../src/rules/actor.js';
import type { OrganizationAccess } from '../../src/rules/administration-scope.js';
import {
  canAccess,
  checkResourceAccessChange,
  effectiveResourceAccess,
  managesResources,
} from '../../src/rules/resource-access.js';

const permissions = definePermissions({
  'instances.manage': { label: 'Data estate admin', feature: 'data-estate' },
  'libraries.manage': { label: 'Library admin' },
  'tickets.view': { label: 'View tickets' },
});
const catalog = defineResources(permissions, {
  instance: { label: 'Instances', managedBy: 'instances.manage' },
  job: { label: 'Jobs' },
  project: { label: 'Projects', feature: 'projects' },
  library: { label: 'Libraries', managedBy: 'libraries.manage', feature: 'libraries' },
});
const licensed = { features: ['data-estate', 'projects'] };
const unlicensed = { features: ['data-estate'] };

const user = (permissions: string[] = [], userId = 'usr_actor'): ActorFacts => ({
  type: 'user',
  userId,
  organizationId: 'org_a',
  permissions: new Set(permissions),
});
const operator: ActorFacts = { type: 'operator' };
const admin = user(['org.admin']);
const estateAdmin = user(['instances.manage']);
const member = user(['tickets.view']);

describe('checkResourceAccessChange', () => {
  const cases: [string, ActorFacts, OrganizationAccess, string, string, object, string][] = [
    // who, actor, their access to the user's organization, type, target, organization, answer
    ['the operator, anywhere', operator, 'administer', 'job', 'usr_b', licensed, 'ok'],
    ['an admin of the organization', admin, 'administer', 'instance', 'usr_b', licensed, 'ok'],
    [
      'a customer manager, in a customer they administer',
      user(['customers.manage']),
      'administer',
      'job',
      'usr_b',
      licensed,
      'ok',
    ],
    ['a data estate admin, for instances', estateAdmin, 'member', 'instance', 'usr_b', licensed, 'ok'],
    ['a data estate admin, for jobs', estateAdmin, 'member', 'job', 'usr_b', licensed, 'FORBIDDEN'],
    ['a plain member', member, 'member', 'instance', 'usr_b', licensed, 'FORBIDDEN'],
    ['anyone, for themselves', admin, 'administer', 'job', 'usr_actor', licensed, 'SELF_MODIFICATION'],
    [
      'a data estate admin, for themselves',
      estateAdmin,
      'member',
      'instance',
      'usr_actor',
      licensed,
      'SELF_MODIFICATION',
    ],
    [
      'an admin, for a type the organization is not licensed for',
      admin,
      'administer',
      'project',
      'usr_b',
      unlicensed,
      'RESOURCE_UNAVAILABLE',
    ],
    [
      'the operator, for an unknown type',
      operator,
      'administer',
      'playlist',
      'usr_b',
      licensed,
      'RESOURCE_UNAVAILABLE',
    ],
    ['another tenant, before anything else', admin, 'none', 'playlist', 'usr_actor', licensed, 'NOT_FOUND'],
  ];

  it.each(cases)('%s', (_, actor, access, typeKey, targetUserId, organization, answer) => {
    const decision = checkResourceAccessChange({
      actor,
      access,
      targetUserId,
      catalog,
      typeKey,
      organization: organization as { features: string[] },
    });
    expect(decision.ok ? 'ok' : decision.code).toBe(answer);
  });
});

describe('managesResources', () => {
  it.each([
    ['a data estate admin in their organization', estateAdmin, 'member', licensed, true],
    ['a library admin where libraries are not licensed', user(['libraries.manage']), 'member', licensed, false],
    ['a plain member', member, 'member', licensed, false],
    ['an admin (who reads as an admin)', admin, 'administer', licensed, false],
    ['a data estate admin of another organization', estateAdmin, 'none', licensed, false],
  ] as const)('%s: %s', (_, actor, access, organization, expected) => {
    expect(managesResources(actor, access, catalog, organization)).toBe(expected);
  });
});

describe('effective access and canAccess', () => {
  const stored = { instance: ['i-1', 'i-2'], job: 'all', project: ['p-1'], retired: 'all' } as const;

  it('leaves out types unknown now or whose feature the organization lacks, and keeps the rest as stored', () => {
    expect(effectiveResourceAccess(stored, catalog, licensed)).toEqual({
      instance: ['i-1', 'i-2'],
      job: 'all',
      project: ['p-1'],
    });
    expect(effectiveResourceAccess(stored, catalog, unlicensed)).toEqual({ instance: ['i-1', 'i-2'], job: 'all' });
    const clean = { job: 'all' } as const;
    expect(effectiveResourceAccess(clean, catalog, licensed)).toBe(clean);
  });

  it('answers for ids granted and for all of a type, and nothing else', () => {
    const subject = { effectiveResourceAccess: effectiveResourceAccess(stored, catalog, unlicensed) };
    expect(canAccess(subject, 'instance', 'i-2')).toBe(true);
    expect(canAccess(subject, 'instance', 'i-3')).toBe(false);
    expect(canAccess(subject, 'job', 'anything')).toBe(true);
    expect(canAccess(subject, 'project', 'p-1')).toBe(false);
    expect(canAccess(subject, 'toString', 'x')).toBe(false);
    expect(canAccess({ resourceAccess: { job: ['j-1'] } }, 'job', 'j-1')).toBe(true);
  });

  it('answers as fast for a user holding ten thousand ids, once their set is built', () => {
    const ids = Array.from({ length: 10_000 }, (_, index) => `inst-${index}`);
    const subject = { effectiveResourceAccess: { instance: ids } };
    expect(canAccess(subject, 'instance', 'inst-9999')).toBe(true);
    expect(canAccess(subject, 'instance', 'inst-10000')).toBe(false);
  });
});

describe('defineResources', () => {
  it('refuses a type managed by a permission the catalog does not have, and malformed keys', () => {
    expect(() =>
      defineResources(permissions, { instance: { label: 'I', managedBy: 'nope' as 'tickets.view' } }),
    ).toThrow(/unknown permission "nope"/);
    expect(() => defineResources(permissions, { 'bad key': { label: 'B' } })).toThrow(/Invalid resource type/);
    expect(() => defineResources(permissions, { job: { label: 'J', feature: 'no spaces' } })).toThrow(
      /invalid feature/,
    );
    expect(catalog.types.get('job')?.managedBy).toBe('org.admin');
  });
});
