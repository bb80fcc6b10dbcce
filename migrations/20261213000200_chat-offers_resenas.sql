-- Owner: chat-offers. Reviews (reseñas): the client of an approved job rates its professional once
-- (1–5, optional text ≤ 2000); the professional may answer once. `profesional_id` is the profile
-- id (profesionales.id), as the original stored it; `cliente_id` is the client's account.
-- Written only by chat-offers service code (check order and the running mean live there); the
-- profile's rating columns stay professionals' (updated by its review.created handler).
--
-- Who reads what: the client their own reviews, the professional the reviews of them, admins all.
-- Everyone else (anon included) reads the public fields through public.resenas_publicas(), which
-- never shows the client's id or e-mail.

create table public.resenas (
  id uuid primary key default gen_random_uuid(),
  trabajo_id uuid not null references public.trabajos (id) on delete cascade,
  cliente_id uuid not null references public.usuarios (id) on delete cascade,
  profesional_id uuid not null references public.profesionales (id) on delete cascade,
  rating integer not null,
  texto_resena text,
  -- The professional's answer, once.
  respuesta text,
  respuesta_at timestamptz,
  fecha_creacion timestamptz not null default clock_timestamp(),
  fecha_actualizacion timestamptz not null default clock_timestamp(),
  -- One review per job (the API's "ya tiene una reseña", also under concurrent requests).
  constraint resenas_trabajo_key unique (trabajo_id),
  constraint resenas_rating_range check (rating between 1 and 5),
  constraint resenas_texto_length check (texto_resena is null or char_length(texto_resena) <= 2000),
  constraint resenas_respuesta_length check (respuesta is null or char_length(respuesta) between 1 and 2000),
  constraint resenas_respuesta_has_date check ((respuesta is null) = (respuesta_at is null))
);
comment on table public.resenas is
  'Owner: chat-offers. One review per approved job; profesional_id is the profile id; answered once.';

-- Public listing and the running mean (newest first), and the client's own reviews (RLS column).
create index resenas_profesional_idx on public.resenas (profesional_id, fecha_creacion desc);
create index resenas_cliente_idx on public.resenas (cliente_id, fecha_creacion desc);

alter table public.resenas enable row level security;

create policy "Reviews are viewable by the client who wrote them" on public.resenas
  for select to authenticated
  using (cliente_id = (select auth.uid()));

create policy "Reviews are viewable by the reviewed professional" on public.resenas
  for select to authenticated
  using (profesional_id = (select private.current_professional_id()));

create policy "Admins can view every review" on public.resenas
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.resenas from anon, authenticated;
grant select on table public.resenas to authenticated;

-- The read interface professionals' public profile uses (same signature and columns as the
-- placeholder of 20261128004500): the reviews of an approved professional with an active account,
-- newest first, named by the client's "<nombre> <apellido>", without any client id.
create or replace function public.resenas_publicas(p_profesional_id uuid, p_limite integer default 50)
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
  select r.id, r.rating, r.texto_resena, trim(c.nombre || ' ' || c.apellido)::text, c.avatar_url::text,
    r.fecha_creacion
  from public.resenas r
  join public.profesionales p on p.id = r.profesional_id
  join public.usuarios pu on pu.id = p.usuario_id
  join public.usuarios c on c.id = r.cliente_id
  where r.profesional_id = p_profesional_id
    and p.estado_verificacion = 'APROBADO'
    and pu.is_active
  order by r.fecha_creacion desc, r.id
  limit greatest(least(coalesce(p_limite, 50), 1000), 0);
$$;
comment on function public.resenas_publicas(uuid, integer) is
  'Owner: chat-offers. Public reviews of an approved, active professional (profile id), newest first, no client ids.';
revoke execute on function public.resenas_publicas(uuid, integer) from public;
grant execute on function public.resenas_publicas(uuid, integer) to anon, authenticated;
