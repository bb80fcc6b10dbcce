import { z } from "zod";

/** Pieces of the professionals function's response schemas (API.md rule 5: ISO-8601 UTC, UUID ids). */

/** A timestamp as it leaves: `Date#toISOString()`. */
export const timestamp = z.iso.datetime({ offset: true }).describe("ISO-8601 UTC");

/** An id as stored (seeded ids are 8-4-4-4-12 hex, not always RFC 4122). */
export const entityId = z.guid();

/** A nullable timestamp column as it leaves. */
export function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
