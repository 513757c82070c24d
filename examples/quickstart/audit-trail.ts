import type { Actor, AuditEvent } from '../../src/index.js';

/** Prints audit events oldest first, one line each, with ids replaced by the names in `names`. */
export function printAuditTrail(events: readonly AuditEvent[], names: ReadonlyMap<string, string>): void {
  const name = (id: string | null) => (id === null ? '—' : (names.get(id) ?? id));
  const who = (actor: Actor) => (actor.type === 'user' ? name(actor.userId) : actor.type);
  for (const event of [...events].reverse()) {
    const time = event.at.toISOString().slice(11, 16);
    const line = `  ${time}  ${who(event.actor).padEnd(14)} ${event.action.padEnd(32)} ${name(event.targetId).padEnd(18)}`;
    console.log(`${line} ${describeChanges(event, name)}`);
  }
}

function describeChanges(event: AuditEvent, name: (id: string | null) => string): string {
  const fields = Object.keys(event.changes);
  if (event.action.endsWith('.created')) return `(${fields.join(', ')})`;
  const show = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.join(', ')}]`;
    if (typeof value === 'string') return name(value);
    return JSON.stringify(value);
  };
  return fields
    .map((field) => `${field}: ${show(event.changes[field]?.before)} → ${show(event.changes[field]?.after)}`)
    .join('; ');
}
