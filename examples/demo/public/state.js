/** What the signed-in page knows: the session, the organizations, and the current one's roles and permissions. */
export const state = {
  session: null,
  organizations: [],
  organizationId: null,
  roles: [],
  permissions: [],
};

const listeners = new Map();

/** Subscribes to a page event (`organization`: another organization was picked; `users-changed`). */
export function on(event, handler) {
  listeners.set(event, [...(listeners.get(event) ?? []), handler]);
}

export function emit(event, ...values) {
  for (const handler of listeners.get(event) ?? []) handler(...values);
}

/** A user's display name. */
export const nameOf = (user) => `${user.firstName} ${user.lastName}`.trim() || user.email;

export const permissionLabel = (key) => state.permissions.find((permission) => permission.key === key)?.label ?? key;
export const roleLabel = (key) => state.roles.find((role) => role.key === key)?.label ?? key;
