/**
 * "May this actor change this user of this organization?" with the data
 * loaded, asked of tenantry's pure rule, of @casl/ability and of casbin, with
 * a bare Map/Set lookup as the floor. 1,000 users over 100 organizations.
 */
import { createMongoAbility, subject } from '@casl/ability';
import { newEnforcer, newModelFromString } from 'casbin';
import { do_not_optimize } from 'mitata';
import { definePermissions, defineRoles, type Organization, type User } from '../dist/index.js';
import type { ActorFacts } from '../dist/rules.js';
import { checkUserChange, defaultSecurityPolicy, effectivePermissions, organizationRoles } from '../dist/rules.js';
import { type Budget, type Measurement, ratio, time } from './harness.js';

const ORGANIZATIONS = 100;
const USERS_PER_ORGANIZATION = 10;

function organization(index: number): Organization {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id: `org_${index}`,
    name: `Company ${index}`,
    kind: 'standard',
    parentId: null,
    partnerId: null,
    features: [],
    allowedRoles: null,
    contactUserId: null,
    profile: {},
    attributes: {},
    securityPolicy: defaultSecurityPolicy,
    createdAt: at,
    updatedAt: at,
  };
}

const casbinModel = `
[request_definition]
r = sub, dom, obj, act
[policy_definition]
p = sub, dom, obj, act
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub, r.dom) && r.dom == p.dom && r.obj == p.obj && r.act == p.act
`;

/** The decision benchmarks; every peer answers the same question about the same actor and target. */
export async function decisionBenchmarks(budget: Budget): Promise<Measurement[]> {
  const organizations = Array.from({ length: ORGANIZATIONS }, (_, index) => organization(index));
  const admin = (org: number) => `usr_${org}_0`;
  const actorId = admin(42);
  const target = { id: 'usr_42_7', organizationId: 'org_42' };
  const chain = [organizations[42] as Organization];
  const actor: ActorFacts = {
    type: 'user',
    userId: actorId,
    organizationId: 'org_42',
    permissions: new Set(['org.admin', 'tickets.view']),
  };

  // The floor: who administers which organization, as a Map of Sets.
  const administered = new Map<string, Set<string>>();
  for (let org = 0; org < ORGANIZATIONS; org++) administered.set(admin(org), new Set([`org_${org}`]));

  const ability = createMongoAbility([
    { action: 'update', subject: 'User', conditions: { organizationId: { $in: ['org_42'] } } },
  ]);
  const casbinTarget = subject('User', { ...target });

  const enforcer = await newEnforcer(newModelFromString(casbinModel));
  for (let org = 0; org < ORGANIZATIONS; org++) {
    await enforcer.addPolicy('admin', `org_${org}`, 'users', 'update');
    for (let user = 0; user < USERS_PER_ORGANIZATION; user++) {
      await enforcer.addGroupingPolicy(`usr_${org}_${user}`, user === 0 ? 'admin' : 'member', `org_${org}`);
    }
  }

  const answers = [
    checkUserChange(actor, target.id, chain, 'access').ok,
    ability.can('update', casbinTarget),
    enforcer.enforceSync(actorId, 'org_42', 'users', 'update'),
    administered.get(actorId)?.has('org_42'),
  ];
  if (!answers.every(Boolean)) throw new Error(`The peers disagree: ${answers.join(', ')}`);

  const suite = 'permission decision';
  const floor = await time(
    suite,
    'Map/Set lookup (floor)',
    () => do_not_optimize(administered.get(actorId)?.has(target.organizationId)),
    budget,
  );
  const tenantry = await time(
    suite,
    'tenantry checkUserChange',
    () => do_not_optimize(checkUserChange(actor, target.id, chain, 'access')),
    budget,
  );
  const casl = await time(
    suite,
    '@casl/ability can()',
    () => do_not_optimize(ability.can('update', casbinTarget)),
    budget,
  );
  const casbin = await time(
    suite,
    'casbin enforceSync (RBAC with domains)',
    () => do_not_optimize(enforcer.enforceSync(actorId, 'org_42', 'users', 'update')),
    budget,
  );
  tenantry.note = `${ratio(tenantry, floor)} the floor; casl ${ratio(casl, tenantry)}, casbin ${ratio(casbin, tenantry)} of it`;
  return [floor, tenantry, casl, casbin];
}

/** Effective permissions of a user with 3 roles and 10 direct grants. */
export async function effectivePermissionBenchmarks(budget: Budget): Promise<Measurement[]> {
  const keys = Array.from({ length: 14 }, (_, index) => `area${index}.use`);
  const permissions = definePermissions(Object.fromEntries(keys.map((key) => [key, { label: key }])));
  const roles = defineRoles(permissions, {
    first: { label: 'First', permissions: keys.slice(0, 4) as never },
    second: { label: 'Second', permissions: keys.slice(3, 8) as never },
    third: { label: 'Third', permissions: ['org.admin', ...keys.slice(7, 11)] as never },
  });
  const organizationWithRoles = organization(1);
  const available = organizationRoles(organizationWithRoles, roles, []);
  const user = {
    roles: ['first', 'second', 'third'],
    permissions: keys.slice(4, 14),
  } as unknown as User;
  const measured = await time(
    'effective permissions',
    '3 roles + 10 direct grants',
    () => do_not_optimize(effectivePermissions(user, organizationWithRoles, permissions, available)),
    budget,
  );
  return [measured];
}
