import { memoryStorage } from '../../adapters/memory/index.js';
import { describeClientPortal } from './client-portal.js';
import { describeConcurrency } from './concurrency.js';
import { describePartnerPortal } from './partner-portal.js';
import { describeSubOrganizations } from './sub-organizations.js';

describeConcurrency('memory', memoryStorage);
describePartnerPortal('memory', memoryStorage);
describeClientPortal('memory', memoryStorage);
describeSubOrganizations('memory', memoryStorage);
