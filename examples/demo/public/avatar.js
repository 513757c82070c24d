/** A user's picture, or their initials while it loads and whenever it cannot (no address, offline, refused). */
import { el } from './dom.js';

/** The first letters of the first and last name (`José Núñez` → `JN`), or of the address. */
function initialsOf(user) {
  const first = (text) => [...(text ?? '').trim()][0] ?? '';
  const letters = `${first(user.firstName)}${first(user.lastName)}` || first(user.email);
  return letters.toUpperCase();
}

/**
 * A round avatar (`size`: `small` for lists, `large` for details). The picture is an address the user chose on
 * another site: it is asked for without a referrer, shown once it has loaded, and dropped if it fails.
 */
export function avatar(user, size = 'small') {
  const initials = el('span', { class: 'initials', 'aria-hidden': 'true' }, initialsOf(user));
  const box = el('span', { class: `avatar ${size}`, 'data-avatar': 'initials' }, initials);
  const picture = user.fields?.picture;
  if (typeof picture === 'string' && picture.startsWith('https://')) {
    const image = el('img', {
      alt: '',
      hidden: true,
      referrerpolicy: 'no-referrer',
      onload: () => {
        image.hidden = false;
        initials.hidden = true;
        box.dataset.avatar = 'picture';
      },
      onerror: () => image.remove(),
      src: picture,
    });
    box.append(image);
  }
  return box;
}
