import { z } from "zod";
import type { ConfigOf } from "../../shared/config.ts";
import type { Platform } from "../../shared/platform.ts";

/** The professionals function's settings (search and KYC), added to the platform's (shared/config.ts). */
export const PROFESSIONALS_SETTINGS = {
  /** Largest page either search flavour returns (larger `limit`s are capped to it). */
  SEARCH_MAX_LIMIT: z.coerce.number().int().min(1).max(1000).default(100),
  /** `POST /search` page size when the request sends no `limit`. */
  SEARCH_DEFAULT_LIMIT: z.coerce.number().int().min(1).max(1000).default(20),
  /**
   * `POST /search` counts matches up to this many from the requested page on (`total_exacto:
   * false` beyond it): ten pages of 20 ahead, and a total that costs less than the page.
   */
  SEARCH_COUNT_CAP: z.coerce.number().int().min(10).max(1_000_000).default(200),
  /**
   * Searches around a point sorted by anything but distance: from this many matches on, they read
   * in the sort's own index order and filter by distance instead of sorting every match.
   */
  SEARCH_DENSE_MATCHES: z.coerce.number().int().min(10).max(1_000_000).default(1000),
  /** Lifetime of the signed URLs admins get for KYC documents. */
  KYC_SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
};

export type ProfessionalsConfig = ConfigOf<typeof PROFESSIONALS_SETTINGS>;
export type ProfessionalsPlatform = Platform<ProfessionalsConfig>;
