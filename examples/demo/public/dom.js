/** DOM helpers. Data only ever reaches the page as text nodes and attribute values, never as markup. */

export const $ = (id) => document.getElementById(id);

/** An element with attributes (`class`, `on<event>`, booleans) and children (nodes, or strings as text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'checked' || name === 'disabled' || name === 'selected') node[name] = Boolean(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Replaces an element's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Shows a message in a status or alert element (`kind`: `ok` or `error`), or clears it. */
export function say(node, text = '', kind = 'ok') {
  node.textContent = text;
  node.dataset.kind = text ? kind : '';
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });

/** A date-time for people, or a dash. */
export function when(value, withTime = true) {
  if (!value) return '—';
  return (withTime ? dateTime : dateOnly).format(new Date(value));
}

/** The values of a form's checked checkboxes named `name`. */
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}
