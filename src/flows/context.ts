import type { PermissionCatalog, RoleCatalog } from '../catalog.js';
import type { CursorCodec } from '../cursor.js';
import type { EventBus } from '../events.js';
import type { Clock } from '../ports/clock.js';
import type { Mailer } from '../ports/mailer.js';
import type { Storage } from '../ports/storage.js';

/** What every flow works with: the ports and the catalog, fixed at construction. */
export interface FlowContext {
  storage: Storage;
  mailer: Mailer;
  clock: Clock;
  catalog: PermissionCatalog;
  standardRoles: RoleCatalog;
  events: EventBus;
  cursors: CursorCodec;
}
