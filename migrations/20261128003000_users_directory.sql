-- Owner: users. The user directory: what any signed-in user may find about other accounts (the
-- chat's "new conversation" search) — public fields of active accounts only. RLS lets a user
-- read just their own `usuarios` row, so the directory is a function that returns nothing else.

-- `ILIKE '%term%'` on e-mail and names (directory search, admin user list): trigram indexes.
create extension if not exists pg_trgm with schema extensions;

create index usuarios_email_trgm_idx on public.usuarios using gin (email extensions.gin_trgm_ops);
create index usuarios_nombre_trgm_idx on public.usuarios using gin (nombre extensions.gin_trgm_ops);
create index usuarios_apellido_trgm_idx on public.usuarios using gin (apellido extensions.gin_trgm_ops);

-- A search term as an ILIKE pattern that matches it literally anywhere (`%`, `_`, `\` escaped).
create function public.contains_pattern(p_term text)
returns text
language sql
immutable
security invoker
set search_path = ''
as $$
  select '%' || replace(replace(replace(btrim(p_term), '\', '\\'), '%', '\%'), '_', '\_') || '%';
$$;
revoke execute on function public.contains_pattern(text) from public, anon;
grant execute on function public.contains_pattern(text) to authenticated;

create function public.search_user_directory(p_query text, p_limit integer default 20)
returns table (
  id uuid,
  email varchar,
  nombre varchar,
  apellido varchar,
  rol public.user_role,
  is_active boolean,
  avatar_url varchar
)
language sql
stable
security definer
set search_path = ''
as $$
  select u.id, u.email, u.nombre, u.apellido, u.rol, u.is_active, u.avatar_url
  from public.usuarios u
  where (select auth.uid()) is not null
    and u.is_active
    and u.id <> (select auth.uid())
    and (
      u.email ilike public.contains_pattern(p_query)
      or u.nombre ilike public.contains_pattern(p_query)
      or u.apellido ilike public.contains_pattern(p_query)
    )
  order by u.nombre, u.apellido, u.id
  limit least(greatest(coalesce(p_limit, 20), 1), 50);
$$;
comment on function public.search_user_directory(text, integer) is
  'Owner: users. Active accounts whose e-mail or name contains the term; public fields only; never the caller.';
revoke execute on function public.search_user_directory(text, integer) from public, anon;
grant execute on function public.search_user_directory(text, integer) to authenticated;
