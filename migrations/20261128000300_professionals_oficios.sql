-- Owner: professionals. The trade catalog ("oficios") clients search by and professionals offer.

create table public.oficios (
  id uuid primary key default gen_random_uuid(),
  nombre varchar(100) not null,
  descripcion varchar(500) not null default '',
  activo boolean not null default true,
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  constraint oficios_nombre_length check (char_length(btrim(nombre)) between 3 and 100)
);
comment on table public.oficios is 'Owner: professionals. Trade catalog curated by admins; read by everyone.';

-- One trade per name whatever the case: "Plomería" and "plomería" are the same trade.
create unique index oficios_nombre_unique_idx on public.oficios (lower(nombre));
create index oficios_activo_idx on public.oficios (activo);

alter table public.oficios enable row level security;

create policy "Active trades are viewable by everyone" on public.oficios
  for select to anon, authenticated
  using (activo);

create policy "Admins can view every trade" on public.oficios
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

create policy "Admins can add trades" on public.oficios
  for insert to authenticated
  with check ((select auth.jwt() ->> 'rol') = 'ADMIN');

create policy "Admins can change trades" on public.oficios
  for update to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN')
  with check ((select auth.jwt() ->> 'rol') = 'ADMIN');

revoke all on table public.oficios from anon, authenticated;
grant select on table public.oficios to anon, authenticated;
grant insert, update on table public.oficios to authenticated;
