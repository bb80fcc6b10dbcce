-- Owner: chat-offers. The public card of the other party of an offer or a job (name, avatar and,
-- for professionals, the rating the clients' offers page shows). RLS lets a user read only their
-- own usuarios row and profile, so offer and job views read people through here, in the caller's
-- own transaction: only people who share an offer, a job or a chat with the caller (admins: all).

create function public.marketplace_people(p_ids uuid[])
returns table (
  id uuid,
  nombre varchar,
  apellido varchar,
  avatar_url varchar,
  rol public.user_role,
  rating_promedio numeric
)
language sql
stable
security definer
set search_path = ''
as $$
  select u.id, u.nombre, u.apellido, u.avatar_url, u.rol, p.rating_promedio::numeric
  from public.usuarios u
  left join public.profesionales p on p.usuario_id = u.id
  where u.id = any(p_ids)
    and (select auth.uid()) is not null
    and (
      u.id = (select auth.uid())
      or (select private.is_admin())
      or exists (
        select 1 from public.ofertas o
        where (o.cliente_id = (select auth.uid()) and o.profesional_id = u.id)
           or (o.profesional_id = (select auth.uid()) and o.cliente_id = u.id)
      )
      or exists (
        select 1 from public.chats c
        where (c.cliente_id = (select auth.uid()) and c.profesional_id = u.id)
           or (c.profesional_id = (select auth.uid()) and c.cliente_id = u.id)
      )
    );
$$;
comment on function public.marketplace_people(uuid[]) is
  'Owner: chat-offers. Name, avatar and rating of accounts sharing an offer or chat with the caller (all, for admins).';
revoke execute on function public.marketplace_people(uuid[]) from public, anon;
grant execute on function public.marketplace_people(uuid[]) to authenticated;

-- Jobs of a pair, for "may these two exchange contact details" (contactAllowed).
create index trabajos_pair_idx on public.trabajos (cliente_id, profesional_id, estado);
