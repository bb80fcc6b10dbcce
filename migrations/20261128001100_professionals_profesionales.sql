-- Owner: professionals. A professional's marketplace profile (one per PROFESIONAL account) and
-- the trades they offer.

create type public.verification_status as enum ('PENDIENTE', 'EN_REVISION', 'APROBADO', 'RECHAZADO');
create type public.professional_level as enum ('BRONCE', 'PLATA', 'ORO', 'DIAMANTE');

create table public.profesionales (
  id uuid primary key default gen_random_uuid(),
  usuario_id uuid not null references public.usuarios (id) on delete cascade,
  estado_verificacion public.verification_status not null default 'PENDIENTE',
  nivel public.professional_level not null default 'BRONCE',
  radio_cobertura_km integer not null default 10,
  acepta_instant boolean not null default false,
  tarifa_por_hora numeric(12, 2),
  payout_account varchar(255),
  puntos_experiencia integer not null default 0,
  tasa_comision_actual numeric(5, 4) not null default 0.20,
  rating_promedio numeric(3, 2) not null default 0,
  total_resenas integer not null default 0,
  ubicacion extensions.geography(Point, 4326),
  -- KYC review trail: when documents were last sent and the last decision (reason kept on reject).
  kyc_fecha_envio timestamptz,
  kyc_fecha_revision timestamptz,
  kyc_revisado_por uuid references public.usuarios (id) on delete set null,
  kyc_motivo_rechazo varchar(1000),
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  constraint profesionales_radio_range check (radio_cobertura_km between 1 and 500),
  constraint profesionales_tarifa_not_negative check (tarifa_por_hora is null or tarifa_por_hora >= 0),
  constraint profesionales_puntos_not_negative check (puntos_experiencia >= 0),
  constraint profesionales_comision_fraction check (tasa_comision_actual between 0 and 1),
  constraint profesionales_rating_range check (rating_promedio between 0 and 5),
  constraint profesionales_total_resenas_not_negative check (total_resenas >= 0)
);
comment on table public.profesionales is 'Owner: professionals. Created with the account through public.create_professional_profile().';

create unique index profesionales_usuario_id_key on public.profesionales (usuario_id);
create index profesionales_estado_nivel_idx on public.profesionales (estado_verificacion, nivel);
create index profesionales_ubicacion_idx on public.profesionales using gist (ubicacion);
create index profesionales_kyc_revisado_por_idx on public.profesionales (kyc_revisado_por);

alter table public.profesionales enable row level security;

create policy "Professionals can view their own profile" on public.profesionales
  for select to authenticated
  using (usuario_id = (select auth.uid()));

create policy "Admins can view every profile" on public.profesionales
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

create policy "Professionals can update their own profile" on public.profesionales
  for update to authenticated
  using (usuario_id = (select auth.uid()))
  with check (usuario_id = (select auth.uid()));

revoke all on table public.profesionales from anon, authenticated;
grant select on table public.profesionales to authenticated;
-- Only the service settings are self-service; verification, level, points, commission and
-- ratings change through the owner's transition code (service connection).
grant update (radio_cobertura_km, acepta_instant, tarifa_por_hora, payout_account, ubicacion, fecha_actualizacion)
  on table public.profesionales to authenticated;

create table public.profesional_oficios (
  profesional_id uuid not null references public.profesionales (id) on delete cascade,
  oficio_id uuid not null references public.oficios (id) on delete cascade,
  primary key (profesional_id, oficio_id)
);
comment on table public.profesional_oficios is 'Owner: professionals. Trades each professional offers.';

create index profesional_oficios_oficio_idx on public.profesional_oficios (oficio_id);

alter table public.profesional_oficios enable row level security;

create policy "Professionals can view their own trades" on public.profesional_oficios
  for select to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Admins can view every professional trade" on public.profesional_oficios
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

create policy "Professionals can add trades to their own profile" on public.profesional_oficios
  for insert to authenticated
  with check (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Professionals can remove trades from their own profile" on public.profesional_oficios
  for delete to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

revoke all on table public.profesional_oficios from anon, authenticated;
grant select, insert, delete on table public.profesional_oficios to authenticated;

-- The interface account creation uses: the profile exists from registration on, with the
-- contract's defaults, and with the trade the sign-up form picked when it is a real, active one.
create function public.create_professional_profile(p_usuario_id uuid, p_oficio_id uuid default null)
returns public.profesionales
language plpgsql
security invoker
set search_path = ''
as $$
declare
  profile public.profesionales;
begin
  insert into public.profesionales (usuario_id) values (p_usuario_id)
  on conflict (usuario_id) do nothing;
  select * into profile from public.profesionales where usuario_id = p_usuario_id;
  if p_oficio_id is not null then
    insert into public.profesional_oficios (profesional_id, oficio_id)
    select profile.id, o.id from public.oficios o where o.id = p_oficio_id and o.activo
    on conflict do nothing;
  end if;
  return profile;
end;
$$;
revoke execute on function public.create_professional_profile(uuid, uuid) from public, anon, authenticated;
