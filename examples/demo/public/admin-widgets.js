/** Small widgets of the admin pages: a value to copy, a button that asks before it acts. */
import { el } from './dom.js';

/** A value to copy into another system (a DNS record, a redirect URI), with a button that copies it. */
export function copyable(text, label = 'Copy') {
  const button = el('button', { type: 'button', class: 'link copy' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // Where the clipboard is refused, the value is still there to select.
      button.textContent = 'Select it to copy';
    }
    setTimeout(() => {
      button.textContent = label;
    }, 1500);
  });
  return el('span', { class: 'copyable' }, el('code', {}, text), ' ', button);
}

/** A button that asks once more before it acts ("Remove" → "Really remove?"), for what cannot be undone. */
export function confirmingButton(label, question, action) {
  const button = el('button', { type: 'button', class: 'secondary' }, label);
  let armed = false;
  button.addEventListener('click', () => {
    if (!armed) {
      armed = true;
      button.textContent = question;
      setTimeout(() => {
        armed = false;
        button.textContent = label;
      }, 4000);
      return;
    }
    armed = false;
    action();
  });
  return button;
}
