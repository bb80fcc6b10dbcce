import { z } from "zod";
import { ROLES } from "../../shared/auth.ts";

const name = z.string().trim().min(1).max(100);

/** PUT /users/me: names only; `null`/absent = unchanged; other keys (email, telefono, …) ignored. */
export const updateMeSchema = z.object({ nombre: name.nullish(), apellido: name.nullish() });

export const directoryQuerySchema = z.object({ q: z.string().trim().min(2).max(100) });

const integer = z.string().trim().regex(/^-?\d+$/, "Debe ser un número entero").transform(Number);

/**
 * GET /admin/users, with the original's clamping: page < 1 → 1; limit < 1 → 10, > 100 → 100;
 * a non-integer → 422. `q` (or `search`) matches e-mail, nombre or apellido.
 */
export const adminListQuerySchema = z.object({
  page: integer.optional().transform((p) => Math.max(p ?? 1, 1)),
  limit: integer.optional().transform((l) => (l === undefined || l < 1 ? 10 : Math.min(l, 100))),
  q: z.string().trim().max(100).optional(),
  search: z.string().trim().max(100).optional(),
  rol: z.enum(ROLES).optional(),
  is_active: z.enum(["true", "false"]).optional().transform((
    v,
  ) => (v === undefined ? undefined : v === "true")),
});

export const adminSearchQuerySchema = z.object({ email: z.string().trim().max(255) });

export const roleChangeSchema = z.object({ rol: z.enum(ROLES) });

export const userIdParamSchema = z.object({ id: z.string() });
