import assert from "node:assert/strict";
import { POINTS_PER_JOB, pointsForReview } from "./levels.ts";

Deno.test("points: +100 per approved job, +50 for 5★, +10 for 4★, nothing for 1–3★", () => {
  assert.equal(POINTS_PER_JOB, 100);
  assert.deepEqual([1, 2, 3, 4, 5].map(pointsForReview), [0, 0, 0, 10, 50]);
});
