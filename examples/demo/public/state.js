/**
 * What the signed-in page knows: the session, the organizations, and the current one's roles, permissions and
 * estate (the demo app's `/demo/estate`: its resources by type, the profile fields, and what the signed-in user may
 * change there).
 */
export const state = {
  session: null,
  organizations: [],
  organizationId: null,
  roles: [],
  permissions: [],
  estate: { administers: false, readsUsers: false, types: [], fields: [] },
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

/** The resource types the current organization has now. */
export const availableTypes = () => state.estate.types.filter((type) => type.available);

/** A resource by its id, in words (`J-1001 Quarterly close`, `Production EU`); one the app no longer names stays an id. */
export function resourceName(typeKey, id) {
  const resource = state.estate.types.find((type) => type.key === typeKey)?.resources.find((item) => item.id === id);
  return resource?.name ?? id;
}

/** A user's access to one type, in words: `All jobs`, the names of the resources, or `none`. */
export function accessInWords(type, access) {
  if (access === 'all') return `All ${type.label.toLowerCase()}`;
  return access?.length ? access.map((id) => resourceName(type.key, id)).join(', ') : 'none';
}
