-- Owner: users. The directory (the chat's "new conversation" search) answered e-mails and roles of
-- every match, and matched e-mails by substring: 26 two-letter queries harvested 131 addresses,
-- the admin's among them. Now: a name matches by substring, an e-mail only exactly (what a user
-- who already knows the address types); admins are never listed; and each match is the public
-- card only (no e-mail, no role: `es_profesional` is what the chat shows). The result columns
-- change, which `create or replace` cannot do, so the function is dropped and created again in
-- this migration's transaction (nothing else depends on it).

drop function public.search_user_directory(text, integer);

create function public.search_user_directory(p_query text, p_limit integer default 20)
returns table (
  id uuid,
  nombre varchar,
  apellido varchar,
  avatar_url varchar,
  es_profesional boolean
)
language sql
stable
security definer
set search_path = ''
as $$
  select u.id, u.nombre, u.apellido, u.avatar_url, u.rol = 'PROFESIONAL'
  from public.usuarios u
  where (select auth.uid()) is not null
    and u.is_active
    and u.rol <> 'ADMIN'
    and u.id <> (select auth.uid())
    and (
      -- E-mails are stored lower-case and trimmed (usuarios_email_normalised): the unique index answers.
      u.email = lower(btrim(p_query))
      or u.nombre ilike public.contains_pattern(p_query)
      or u.apellido ilike public.contains_pattern(p_query)
    )
  order by u.nombre, u.apellido, u.id
  limit least(greatest(coalesce(p_limit, 20), 1), 50);
$$;
comment on function public.search_user_directory(text, integer) is
  'Owner: users. Active non-admin accounts whose name contains the term or whose e-mail is exactly it; public card only (id, names, avatar, es_profesional); never the caller.';
revoke execute on function public.search_user_directory(text, integer) from public, anon;
grant execute on function public.search_user_directory(text, integer) to authenticated;
