/** The seven edge functions, by the name Supabase serves each under. */
export const FUNCTION_NAMES = [
  "gateway",
  "auth",
  "users",
  "professionals",
  "chat-offers",
  "payments",
  "notifications",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];
export type ServiceName = Exclude<FunctionName, "gateway">;
export const SERVICE_NAMES = FUNCTION_NAMES.filter((n): n is ServiceName => n !== "gateway");
