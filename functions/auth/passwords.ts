import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import bcrypt from "bcryptjs";

/**
 * Password hashing: scrypt (an OWASP parameter set: N=2^14, r=8, p=5 by default) with its
 * parameters, salt and key in one PHC-style string, `$scrypt$ln=14,r=8,p=5$<salt>$<key>`
 * (unpadded base64). Hashes made with
 * other parameters — or legacy bcrypt hashes (`$2b$…`) from the original database — still
 * verify, and report `needsRehash` so login can upgrade them.
 */
export type ScryptParams = { logN: number; r: number; p: number };
export type Verification = { ok: boolean; needsRehash: boolean };
export type PasswordHasher = {
  readonly params: ScryptParams;
  hash(password: string): Promise<string>;
  /** `stored` null (unknown account) still costs one full hash, so timing tells nothing. */
  verify(stored: string | null, password: string): Promise<Verification>;
};

/** One of OWASP's equivalent scrypt sets (16 MiB); the deployed values come from config (PASSWORD_SCRYPT_*). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { logN: 14, r: 8, p: 5 };

const KEY_BYTES = 64;
const SALT_BYTES = 16;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,})\$([A-Za-z0-9+/]{43,})$/;
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export function createPasswordHasher(
  params: ScryptParams,
  options: { concurrency?: number } = {},
): PasswordHasher {
  const slots = createSemaphore(options.concurrency ?? 2);
  // Same parameters as real hashes, random bytes: verifying against it costs exactly as much.
  const dummy = formatHash(params, randomBytes(SALT_BYTES), randomBytes(KEY_BYTES));

  async function scryptVerify(stored: string, password: string): Promise<Verification> {
    const parsed = parseHash(stored);
    if (!parsed) return { ok: false, needsRehash: false };
    const derived = await slots.run(() => derive(password, parsed.salt, parsed.params, parsed.key.length));
    const ok = timingSafeEqual(derived, parsed.key);
    return { ok, needsRehash: ok && !sameParams(parsed.params, params) };
  }

  return {
    params,
    async hash(password) {
      const salt = randomBytes(SALT_BYTES);
      return formatHash(params, salt, await slots.run(() => derive(password, salt, params, KEY_BYTES)));
    },
    async verify(stored, password) {
      if (stored && BCRYPT.test(stored)) {
        const ok = await bcrypt.compare(password, stored);
        return { ok, needsRehash: ok };
      }
      if (stored && PHC.test(stored)) return await scryptVerify(stored, password);
      await scryptVerify(dummy, password);
      return { ok: false, needsRehash: false };
    },
  };
}

export function formatHash(params: ScryptParams, salt: Uint8Array, key: Uint8Array): string {
  const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

export function parseHash(
  stored: string,
): { params: ScryptParams; salt: Uint8Array; key: Uint8Array } | null {
  const match = PHC.exec(stored);
  if (!match) return null;
  const params = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (
    params.logN < 10 || params.logN > 22 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16
  ) {
    return null;
  }
  const bytes = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
  return { params, salt: bytes(match[4]), key: bytes(match[5]) };
}

function sameParams(a: ScryptParams, b: ScryptParams): boolean {
  return a.logN === b.logN && a.r === b.r && a.p === b.p;
}

function derive(
  password: string,
  salt: Uint8Array,
  params: ScryptParams,
  length: number,
): Promise<Uint8Array> {
  const N = 2 ** params.logN;
  // scrypt needs 128·N·r bytes (plus 128·r·p); Node's default cap is 32 MiB.
  const maxmem = 128 * N * params.r + 128 * params.r * params.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      salt,
      length,
      { N, r: params.r, p: params.p, maxmem },
      (error, key) => error ? reject(error) : resolve(new Uint8Array(key)),
    )
  );
}

/** At most `size` hashes at once: each holds 128 MiB and a core for ~0.7 s at the defaults. */
function createSemaphore(size: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (active < size) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over
      try {
        return await fn();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}
