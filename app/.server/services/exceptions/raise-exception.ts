import type { ExceptionKind, ExceptionRaise, RaiseEffect } from "~/domain/exceptions/kinds";
import { resolveExceptionBySubject, upsertException } from "../../db/exceptions";

/**
 * Puts a case in the exception queue (idempotent per shop, kind and subject). Every feature that
 * needs a person calls this; the queue page, monitors, alerts and runbooks read what it writes.
 */
export async function raiseException(r: ExceptionRaise, now = new Date()): Promise<{ id: string; effect: RaiseEffect }> {
  return upsertException(r, now);
}

/** Clears a case whose cause went away (or that a person resolved), with who and why. */
export async function clearException(
  shop: string,
  kind: ExceptionKind,
  subjectKey: string,
  by: string,
  resolution: string,
  now = new Date(),
): Promise<boolean> {
  return resolveExceptionBySubject(shop, kind, subjectKey, by, resolution, now);
}
