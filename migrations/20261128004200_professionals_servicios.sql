-- Owner: professionals. Instant services: one table for both designs the clients use
-- (compatibility.md rows 28–29): the admin catalog per trade (no owner, no price), which
-- professionals opt into, and fixed-price services a professional publishes (owner + price).

create table public.servicios_instantaneos (
  id uuid primary key default gen_random_uuid(),
  nombre varchar(100) not null,
  descripcion varchar(500) not null default '',
  oficio_id uuid not null references public.oficios (id) on delete cascade,
  profesional_id uuid references public.profesionales (id) on delete cascade,
  precio_fijo numeric(12, 2),
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  constraint servicios_nombre_length check (char_length(btrim(nombre)) between 1 and 100),
  constraint servicios_precio_positive check (precio_fijo is null or precio_fijo > 0),
  -- A published service always has its price; the catalog has none.
  constraint servicios_publicado_tiene_precio check ((profesional_id is null) = (precio_fijo is null))
);
comment on table public.servicios_instantaneos is 'Owner: professionals. Admin catalog of instant services (no owner) and services professionals publish (owner + fixed price).';

create index servicios_oficio_idx on public.servicios_instantaneos (oficio_id, nombre);
create index servicios_profesional_idx on public.servicios_instantaneos (profesional_id, fecha_creacion desc);

alter table public.servicios_instantaneos enable row level security;

create policy "The instant service catalog is viewable by everyone" on public.servicios_instantaneos
  for select to anon, authenticated
  using (profesional_id is null);

create policy "Professionals can view their own services" on public.servicios_instantaneos
  for select to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Admins can view every service" on public.servicios_instantaneos
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

create policy "Admins can add catalog services" on public.servicios_instantaneos
  for insert to authenticated
  with check ((select auth.jwt() ->> 'rol') = 'ADMIN' and profesional_id is null);

create policy "Professionals can publish their own services" on public.servicios_instantaneos
  for insert to authenticated
  with check (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Professionals can change their own services" on public.servicios_instantaneos
  for update to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())))
  with check (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Professionals can delete their own services" on public.servicios_instantaneos
  for delete to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

revoke all on table public.servicios_instantaneos from anon, authenticated;
grant select on table public.servicios_instantaneos to anon, authenticated;
grant insert, delete on table public.servicios_instantaneos to authenticated;
grant update (nombre, descripcion, oficio_id, precio_fijo, fecha_actualizacion) on table public.servicios_instantaneos to authenticated;

-- Catalog services a professional takes part in (MONO `PUT /professional/profile/servicios-instant`).
create table public.profesional_servicios_instant (
  profesional_id uuid not null references public.profesionales (id) on delete cascade,
  servicio_id uuid not null references public.servicios_instantaneos (id) on delete cascade,
  primary key (profesional_id, servicio_id)
);
comment on table public.profesional_servicios_instant is 'Owner: professionals. Catalog instant services each professional offers.';

create index profesional_servicios_instant_servicio_idx on public.profesional_servicios_instant (servicio_id);

alter table public.profesional_servicios_instant enable row level security;

create policy "Professionals can view their own instant services" on public.profesional_servicios_instant
  for select to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Admins can view every professional instant service" on public.profesional_servicios_instant
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

create policy "Professionals can add instant services to their own profile" on public.profesional_servicios_instant
  for insert to authenticated
  with check (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Professionals can remove instant services from their own profile" on public.profesional_servicios_instant
  for delete to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

revoke all on table public.profesional_servicios_instant from anon, authenticated;
grant select, insert, delete on table public.profesional_servicios_instant to authenticated;
