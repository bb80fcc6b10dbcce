import { toUserRead } from "../../shared/user-read.ts";
import type { AccountRow } from "./credentials.ts";

/**
 * The account as auth answers it: the users function's UserRead (the shape `/users/me` answers,
 * which register returned in the original) plus `email_verificado`. Built field by field, so a
 * credential column can never slip into a response.
 */
export function userView(row: AccountRow) {
  return { ...toUserRead(row), email_verificado: row.email_verificado_at !== null };
}

export type UserView = ReturnType<typeof userView>;
