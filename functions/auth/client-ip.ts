/**
 * The caller's address for per-IP rate limits. Each proxy in front of us appends the address it
 * saw to `x-forwarded-for`, so only the entries our own `trustedHops` proxies added can be
 * believed: the client is the `trustedHops`-th entry from the right (our gateway appends the
 * connection address; on Supabase the platform's edge appends one more). Entries further left
 * are whatever the client sent, and trusting them would let anyone pick their own bucket.
 * IPv6 callers are grouped by their /64, since anyone holding one can rotate through it freely.
 */
export function clientIp(
  forwardedFor: string | undefined,
  remoteAddress: string | undefined,
  trustedHops = 1,
): string {
  const hops = (forwardedFor ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  const reported = hops.length >= trustedHops ? hops[hops.length - trustedHops] : hops[0];
  return normalizeIp(reported || remoteAddress || "") ?? "unknown";
}

export function normalizeIp(raw: string): string | null {
  let ip = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":")); // IPv4 with a port
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) ip = mapped[1];
  if (isIpv4(ip)) return ip;
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : null;
}

function isIpv4(ip: string): boolean {
  const parts = ip.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function expandIpv6(ip: string): string[] | null {
  if (!/^[0-9a-f:]+$/.test(ip) || ip.split("::").length > 2) return null;
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === null ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array(tail === null ? 0 : missing).fill("0"), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16).toString(16));
}
