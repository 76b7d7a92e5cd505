/**
 * A tension's status: store keeps it, orchestrator decides it, markdown renders it, so it lives
 * below all three. `deferred` (ACKNOWLEDGED / DEFER / DEFER-TO-RFC) and `superseded` (refined by
 * its owner's later tension, or merged into a duplicate) are out of the open count.
 */
export type TensionStatus = 'open' | 'resolved' | 'accepted' | 'reopened' | 'deferred' | 'superseded';

/** True for a status that counts as open (velocity, key question, next prompt, tensions.md). */
export function isOpenStatus(status: string): boolean {
  return status === 'open' || status === 'reopened';
}
