-- Owner: users. The account every person has: identity, role, status and public profile fields.
-- Credentials live apart, in tables owned by auth.

create type public.user_role as enum ('CLIENTE', 'PROFESIONAL', 'ADMIN');

create table public.usuarios (
  id uuid primary key default gen_random_uuid(),
  email varchar(255) not null,
  nombre varchar(100) not null,
  apellido varchar(100) not null,
  rol public.user_role not null default 'CLIENTE',
  is_active boolean not null default true,
  avatar_url varchar(500),
  infracciones_chat integer not null default 0,
  is_chat_banned boolean not null default false,
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  -- E-mails are stored normalised so uniqueness and login are case-insensitive.
  constraint usuarios_email_normalised check (email = lower(btrim(email)) and email like '%_@_%'),
  constraint usuarios_nombre_length check (char_length(btrim(nombre)) between 1 and 100),
  constraint usuarios_apellido_length check (char_length(btrim(apellido)) between 1 and 100),
  constraint usuarios_infracciones_not_negative check (infracciones_chat >= 0)
);
comment on table public.usuarios is 'Owner: users. One row per account; auth creates rows through public.create_usuario().';

create unique index usuarios_email_key on public.usuarios (email);
create index usuarios_rol_idx on public.usuarios (rol);
create index usuarios_is_active_idx on public.usuarios (is_active);
create index usuarios_fecha_creacion_idx on public.usuarios (fecha_creacion desc);

alter table public.usuarios enable row level security;

create policy "Users can view their own account" on public.usuarios
  for select to authenticated
  using (id = (select auth.uid()));

create policy "Admins can view every account" on public.usuarios
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

create policy "Users can update their own account" on public.usuarios
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

revoke all on table public.usuarios from anon, authenticated;
grant select on table public.usuarios to authenticated;
-- Only the name is self-service; role, status and strikes change through service code.
grant update (nombre, apellido, fecha_actualizacion) on table public.usuarios to authenticated;

-- The interface auth uses to open an account (auth does not write this table directly).
create function public.create_usuario(
  p_email text,
  p_nombre text,
  p_apellido text,
  p_rol public.user_role
) returns public.usuarios
language sql
security invoker
set search_path = ''
as $$
  insert into public.usuarios (email, nombre, apellido, rol)
  values (lower(btrim(p_email)), btrim(p_nombre), btrim(p_apellido), p_rol)
  returning *;
$$;
revoke execute on function public.create_usuario(text, text, text, public.user_role) from public, anon, authenticated;
