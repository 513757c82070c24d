/** Role and permission checkboxes, from the organization's roles and the permissions that exist there. */
import { el, fill } from './dom.js';
import { permissionLabel, state } from './state.js';

/** Checkboxes for roles and permissions; `chosen` are ticked, permissions the actor may not grant are disabled. */
export function accessChoices(container, kind, chosen = []) {
  const items =
    kind === 'roles'
      ? state.roles.map((role) => ({
          key: role.key,
          label: `${role.label} (${role.permissions.map(permissionLabel).join(', ') || 'nothing'})`,
          enabled: true,
        }))
      : state.permissions
          .filter((permission) => permission.available || chosen.includes(permission.key))
          .map((permission) => ({
            key: permission.key,
            label: permission.requires.length
              ? `${permission.label} (needs ${permission.requires.map(permissionLabel).join(', ')})`
              : permission.label,
            enabled: permission.grantable,
            note: !permission.available ? 'not available here' : permission.operatorOnly ? 'operator only' : '',
          }));
  fill(
    container,
    items.map((item) =>
      el(
        'label',
        { class: item.enabled ? '' : 'muted' },
        el('input', {
          type: 'checkbox',
          name: kind,
          value: item.key,
          checked: chosen.includes(item.key),
          disabled: !item.enabled,
        }),
        ` ${item.label}`,
        item.note ? el('small', {}, ` — ${item.note}`) : null,
      ),
    ),
  );
}
