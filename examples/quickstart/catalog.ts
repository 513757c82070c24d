import { definePermissions, defineRoles } from '../../src/index.js';

/** The portal's permissions: the two built-ins plus the host app's own. */
export const permissions = definePermissions({
  'org.admin': { label: 'Company admin' },
  'customers.manage': { label: 'Customer manager', partnerOnly: true },
  'instances.manage': { label: 'Data estate admin', feature: 'data-estate' },
  'environments.manage': {
    label: 'Environment admin',
    requires: ['instances.manage'],
    availableWhen: (org) => Number(org.attributes.version ?? 0) <= 20,
  },
  'tickets.view': { label: 'View tickets' },
  'tickets.edit': { label: 'Edit tickets', requires: ['tickets.view'] },
  'tickets.taskfire': { label: 'Taskfire', operatorOnly: true },
});

/** The standard roles every organization may assign, unless its `allowedRoles` says otherwise. */
export const roles = defineRoles(permissions, {
  basic: { label: 'Basic', permissions: ['tickets.view'] },
  manager: { label: 'Manager', permissions: ['tickets.view', 'tickets.edit'] },
});
