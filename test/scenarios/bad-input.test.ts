import { embeddedStorages } from '../support/dumped-storages.js';
import { describeAddressesAndNames } from './addresses-and-names.js';
import { describeBadInput } from './bad-input.js';

// Refused alike whatever stores the data: here on every in-process adapter, on the real server in test/postgres.
for (const [name, make] of embeddedStorages) {
  describeBadInput(name, make);
  describeAddressesAndNames(name, async () => (await make()).storage);
}
