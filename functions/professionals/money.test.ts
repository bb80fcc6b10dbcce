import assert from "node:assert/strict";
import { moneyIn, moneyOut, numberOut } from "./money.ts";

Deno.test("numeric strings leave as JSON numbers rounded to 2 decimals; null stays null", () => {
  assert.equal(moneyOut("5000.00"), 5000);
  assert.equal(moneyOut("1234.56"), 1234.56);
  assert.equal(moneyOut(null), null);
  assert.equal(numberOut("0.2000"), 0.2);
  assert.equal(numberOut("4.75"), 4.75);
  assert.equal(moneyIn(45000), "45000");
  // Its shortest decimal form: numeric(12, 2) rounds that decimally (2.675 → 2.68, not 2.67).
  assert.equal(moneyIn(2.675), "2.675");
});
