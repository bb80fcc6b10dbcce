import type { Rule } from "./rule-kit.ts";
import { ACCOUNT_RULES } from "./rules-account.ts";
import { CHAT_RULES } from "./rules-chat.ts";
import { DISPUTE_RULES } from "./rules-disputes.ts";
import { MARKETPLACE_RULES } from "./rules-marketplace.ts";
import { OFFER_RULES } from "./rules-offers.ts";
import { PAYMENT_RULES } from "./rules-payments.ts";
import { PAYOUT_RULES } from "./rules-payouts.ts";
import { REVIEW_RULES } from "./rules-reviews.ts";

/**
 * What each event means to people: who is told, what (Spanish texts), in which category and on
 * which channels. Rules are plain async functions over a small context, so they are tested
 * without a database; `notify.ts` applies preferences and writes the rows.
 *
 * Payload fields read (producers: add, never rename): ids of people are `usuarios.id` except
 * `profesional_id` in kyc.* and review.created, which is the profile id (`profesionales.id`).
 */
export const RULES: Readonly<Record<string, Rule>> = {
  ...ACCOUNT_RULES,
  ...MARKETPLACE_RULES,
  ...OFFER_RULES,
  ...CHAT_RULES,
  ...PAYMENT_RULES,
  ...PAYOUT_RULES,
  ...DISPUTE_RULES,
  ...REVIEW_RULES,
};
