/**
 * The people of the demo installation. Names with accents show that search
 * ignores case and accents ("nunez" finds José Núñez).
 */

/** What becomes of a person after the import that creates them. */
export type SeedState =
  | 'active' // accepted an invitation with the demo password
  | 'pending' // never invited
  | 'invited' // pending, with an invitation in the outbox
  | 'disabled' // activated, then disabled
  | 'disabled-pending' // disabled before ever activating
  | 'locked' // active, locked out by failed sign-ins
  | 'temporary-password' // active, must choose a new password at the next sign-in
  | 'contact'; // a contact record that cannot sign in

/** One person: name, grants, state, and optionally a temporary account (days until expiry). */
export interface SeedPerson {
  first: string;
  last: string;
  roles?: string[];
  permissions?: string[];
  state: SeedState;
  expiresInDays?: number;
  /** The sub-organization they belong to, by key. */
  in?: 'research';
  /** Their picture and signature, set by themselves once active (a picture is an address: see {@link pictureOf}). */
  profile?: { picture?: true; signature?: string };
  /** What of the demo app's resources they may open (the ids of `estate.ts`), given by the operator. */
  access?: { job?: 'all' | string[]; instance?: 'all' | string[] };
}

/** The demo password every activated seed account has. */
export const demoPassword = 'tenantry demo passphrase';

/** The accounts the start-up message names. */
export const demoAccounts = {
  companyAdmin: 'carla.diaz@contoso.example',
  customerManager: 'mike.meyer@northwind.example',
  partnerAdmin: 'paula.park@northwind.example',
  mustChangePassword: 'nina.novak@contoso.example',
  dataEstateAdmin: 'mateo.garcia@contoso.example',
} as const;

/**
 * A seeded person's picture. Profile pictures must be https addresses, which the demo does not serve, so these
 * point at a reserved name that never resolves (RFC 2606): the page shows initials instead, as it does for any
 * picture that fails to load. A picture someone sets to a real https image shows wherever it can be loaded.
 */
export function pictureOf(email: string): string {
  return `https://pictures.contoso.example/${email.split('@')[0]}.svg`;
}

/** Contoso, a customer of Northwind, and its sub-organization Contoso Research. */
export const contosoPeople: SeedPerson[] = [
  {
    first: 'José',
    last: 'Núñez',
    roles: ['manager'],
    state: 'active',
    profile: { picture: true, signature: 'José Núñez\nFinance manager, Contoso' },
    access: { job: 'all', instance: ['prod-eu'] },
  },
  {
    first: 'Zoë',
    last: 'Ångström',
    permissions: ['tickets.view'],
    state: 'active',
    profile: { picture: true },
    access: { job: ['J-1002'] },
  },
  { first: 'Björn', last: 'Müller', roles: ['basic'], state: 'active' },
  {
    first: 'Amélie',
    last: 'Laurent',
    roles: ['basic'],
    permissions: ['instances.manage', 'environments.manage'],
    state: 'active',
    profile: { picture: true },
    access: { instance: 'all' },
  },
  { first: 'Hiro', last: 'Tanaka', roles: ['basic'], state: 'pending' },
  { first: 'Priya', last: 'Raman', permissions: ['org.admin', 'tickets.view'], state: 'active' },
  { first: 'Liam', last: 'Brennan', roles: ['basic'], state: 'disabled' },
  {
    first: 'Sofia',
    last: 'Rossi',
    roles: ['manager'],
    state: 'active',
    profile: { signature: 'Sofia Rossi · Operations' },
    access: { job: ['J-1001', 'J-1002'], instance: ['staging'] },
  },
  { first: 'Noah', last: 'Schmidt', permissions: ['tickets.view', 'tickets.edit'], state: 'active' },
  { first: 'Emma', last: 'Johansson', roles: ['basic'], state: 'pending' },
  { first: 'Lucas', last: 'Martin', roles: ['basic'], state: 'locked' },
  { first: 'Nina', last: 'Novak', roles: ['basic'], state: 'temporary-password' },
  { first: 'Omar', last: 'Haddad', roles: ['manager'], state: 'active', expiresInDays: 60 },
  { first: 'Chloé', last: 'Dubois', roles: ['basic'], state: 'disabled-pending' },
  // The data estate admin: reads the users and gives access to instances, nothing else.
  {
    first: 'Mateo',
    last: 'García',
    permissions: ['instances.manage'],
    state: 'active',
    access: { instance: ['prod-eu', 'prod-us'] },
  },
  { first: 'Aiko', last: 'Suzuki', roles: ['basic'], state: 'active' },
  { first: 'Ethan', last: 'Clarke', state: 'contact' },
  { first: 'Fatima', last: 'Zahra', roles: ['manager'], state: 'active' },
  { first: 'Jonas', last: 'Weber', roles: ['basic'], state: 'invited' },
  { first: 'Mia', last: 'Kowalski', permissions: ['tickets.view'], state: 'active' },
  { first: 'Oliver', last: 'Brown', roles: ['basic'], state: 'disabled' },
  { first: 'Isabella', last: 'Costa', roles: ['manager'], state: 'active' },
  { first: 'Lukas', last: 'Nowak', roles: ['basic'], state: 'active', expiresInDays: 14 },
  { first: 'Ava', last: 'Thompson', roles: ['basic'], state: 'invited' },
  { first: 'Felipe', last: 'Ortega', roles: ['basic'], state: 'active' },
  { first: 'Hannah', last: 'Fischer', permissions: ['tickets.view', 'tickets.edit'], state: 'pending' },
  { first: 'Ravi', last: 'Patel', roles: ['basic'], state: 'active' },
  { first: 'Elena', last: 'Petrova', roles: ['basic'], state: 'invited' },
  { first: 'Sam', last: 'Singh', roles: ['basic'], state: 'active', in: 'research' },
  { first: 'Lena', last: 'Vogel', roles: ['basic'], state: 'pending', in: 'research' },
  { first: 'Marco', last: 'Bianchi', permissions: ['tickets.view'], state: 'active', in: 'research' },
];

/** Fabrikam, another customer of Northwind, which may assign only the role "basic". */
export const fabrikamPeople: SeedPerson[] = [
  { first: 'Greta', last: 'Lind', roles: ['basic'], state: 'active' },
  { first: 'Hugo', last: 'Blanc', roles: ['basic'], state: 'invited' },
  { first: 'Inès', last: 'Moreau', roles: ['basic'], state: 'active' },
  { first: 'Karl', last: 'Berg', roles: ['basic'], state: 'disabled' },
];

/** Northwind Partners' own people besides its admin and its customer manager. */
export const northwindPeople: SeedPerson[] = [
  { first: 'Nora', last: 'Quinn', roles: ['basic'], state: 'active' },
  { first: 'Peter', last: 'Holm', roles: ['basic'], state: 'pending' },
];

/** `José Núñez` at `contoso.example` → `jose.nunez@contoso.example`. */
export function addressOf(first: string, last: string, domain: string): string {
  const fold = (name: string) =>
    name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  return `${fold(first)}.${fold(last)}@${domain}`;
}
