import type { ConfigOf } from "../../shared/config.ts";
import type { Platform } from "../../shared/platform.ts";
import { parseRateLimit, rateLimit } from "../../shared/config-parsers.ts";

/** The users function's settings, added to the platform's (shared/config.ts). */
export const USERS_SETTINGS = {
  /** `GET /users/search` per signed-in user (sliding window): enough to type a name, too few to harvest. */
  RATE_LIMIT_USER_DIRECTORY: rateLimit.default(parseRateLimit("30/1m")),
};

export type UsersConfig = ConfigOf<typeof USERS_SETTINGS>;
export type UsersPlatform = Platform<UsersConfig>;
