import type { FieldEditor } from '../fields.js';
import { allowed, type Decision, refuse } from './decision.js';

/** One profile value a change touches: its name (for the message) and who may change it. */
export interface ProfileValueEdit {
  name: string;
  editableBy: FieldEditor;
}

/**
 * Whether the actor may change these profile values of a user after
 * creation (`self`: the actor is that user; otherwise they administer them):
 * a value only the user changes, changed by someone else, is `FORBIDDEN`
 * ("only the user changes their name"); a value only an admin changes,
 * changed by the user themselves, is `SELF_MODIFICATION` (as for access).
 * At creation the admin sets every value, so this is not asked then.
 */
export function checkProfileEdit(self: boolean, edits: readonly ProfileValueEdit[]): Decision {
  for (const { name, editableBy } of edits) {
    if (editableBy === 'self' && !self) {
      return refuse('FORBIDDEN', `Only the user changes their ${name}`, { field: name, editableBy });
    }
    if (editableBy === 'admin' && self) {
      return refuse('SELF_MODIFICATION', `An administrator changes your ${name}`, { field: name, editableBy });
    }
  }
  return allowed;
}
