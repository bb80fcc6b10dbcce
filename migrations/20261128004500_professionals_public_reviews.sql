-- Owner: professionals (until chat-offers takes it over). The read interface the public profile
-- uses for reviews. Reviews belong to chat-offers, whose table does not exist yet: this returns an
-- empty list with the final shape. When chat-offers adds `public.resenas`, it replaces the body
-- with `create or replace function` in its own migration (same signature), and the public profile
-- shows reviews without a change in professionals.
create function public.resenas_publicas(p_profesional_id uuid, p_limite integer default 50)
returns table (
  id uuid,
  rating integer,
  texto_resena text,
  nombre_cliente text,
  cliente_avatar_url text,
  fecha_creacion timestamptz
)
language sql
stable
security definer
set search_path = ''
as $$
  select null::uuid, null::integer, null::text, null::text, null::text, null::timestamptz
  where false;
$$;
comment on function public.resenas_publicas(uuid, integer) is 'Public reviews of a professional (profile id), newest first, no client ids. Owner of the data: chat-offers.';
revoke execute on function public.resenas_publicas(uuid, integer) from public;
grant execute on function public.resenas_publicas(uuid, integer) to anon, authenticated;
