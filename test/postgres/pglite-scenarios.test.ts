import { PGlite } from '@electric-sql/pglite';
import { postgresStorage } from '../../adapters/postgres/index.js';
import { describeScenarios } from '../scenarios/all.js';
import { pgliteClones } from '../support/pglite-clones.js';

const template = new PGlite();
await postgresStorage({ client: template }).migrate();
const clone = pgliteClones(template);
const pglite = async () => postgresStorage({ client: await clone() });

describeScenarios('pglite', pglite);
