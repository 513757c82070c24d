/**
 * What the rules know about who acts: the operator (the platform), a system
 * job, or a user with their home organization and effective permissions there.
 */
export type ActorFacts =
  | { type: 'operator' }
  | { type: 'system' }
  | { type: 'user'; userId: string; organizationId: string; permissions: ReadonlySet<string> };

/** True for the operator and for system jobs, who act with the platform's rights. */
export function actsAsPlatform(actor: ActorFacts): actor is { type: 'operator' } | { type: 'system' } {
  return actor.type !== 'user';
}
