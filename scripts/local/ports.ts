// Port choice for the local services. The preferred ports (54322 for PostgreSQL, 6390 for Redis) are
// where the Supabase CLI and other tools also like to listen, so a run must not depend on them.

export type PortChoice = {
  port: number;
  /** True when the preferred port was taken and `port` is a free one instead. */
  fallback: boolean;
};

/** The preferred port when nothing holds it on 127.0.0.1, otherwise one the OS reports free. */
export async function choosePort(preferred: number): Promise<PortChoice> {
  if (!(await portInUse(preferred))) return { port: preferred, fallback: false };
  return { port: freePort(), fallback: true };
}

/**
 * Both checks, because each misses a case: connecting misses a port that is bound but not (yet)
 * accepting, and binding with SO_REUSEADDR can succeed beside a socket that is not listening.
 */
export async function portInUse(port: number): Promise<boolean> {
  if (await canConnect(port)) return true;
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return false;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return true;
    throw error;
  }
}

/** A port the OS considers free right now (another process may take it before we do). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

export async function canConnect(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}
