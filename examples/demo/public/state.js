/** What the signed-in page knows: the session, the organizations, and the current one's roles and permissions. */
export const state = {
  session: null,
  organizations: [],
  organizationId: null,
  roles: [],
  permissions: [],
  /** Display names of users and organizations seen so far, by id (for the audit trail). */
  names: new Map(),
};

const listeners = new Map();

/** Subscribes to a page event (`organization`: another organization was picked; `users-changed`). */
export function on(event, handler) {
  listeners.set(event, [...(listeners.get(event) ?? []), handler]);
}

export function emit(event, ...values) {
  for (const handler of listeners.get(event) ?? []) handler(...values);
}

/** A user's display name, remembered for later. */
export function nameOf(user) {
  const name = `${user.firstName} ${user.lastName}`.trim() || user.email;
  state.names.set(user.id, name);
  return name;
}

export const permissionLabel = (key) => state.permissions.find((permission) => permission.key === key)?.label ?? key;
export const roleLabel = (key) => state.roles.find((role) => role.key === key)?.label ?? key;
