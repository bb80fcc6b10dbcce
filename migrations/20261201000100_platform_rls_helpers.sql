-- Owner: platform. The two predicates RLS policies repeat — "the caller is an admin" and "this row
-- belongs to the caller's professional profile" — as helpers in a private schema, and the existing
-- policies rewritten to call them (same names, commands, roles and meaning). New policies call the
-- helpers instead of inlining the predicates (tests/platform/rls-helpers.test.ts guards this).
--
-- Why the helpers look like this:
-- * `private` is not in the API's exposed schemas (supabase/config.toml `[api] schemas`), and only
--   `authenticated` may use it: every policy that calls a helper is `to authenticated`.
-- * `security definer set search_path = ''`: they run as their owner, so they read
--   public.profesionales whatever the caller's RLS and grants, and every name is fully qualified.
--   `auth.jwt()` / `auth.uid()` read the request's claims from the transaction's settings, which a
--   definer function sees just as its caller does.
-- * Neither takes a row value, so policies call them as `(select private.…())`: Postgres evaluates
--   that once per statement (an InitPlan), not once per row (Supabase RLS performance guide).
--   Hence `current_professional_id()` rather than a per-row `owns_professional(id)`: a person has
--   at most one profile (profesionales_usuario_id_key), so `profesional_id in (the caller's
--   profile ids)` is exactly `profesional_id = (select private.current_professional_id())`, which
--   can also use the profesional_id indexes.

create schema if not exists private;
comment on schema private is
  'Owner: platform. Helpers for RLS policies; not exposed through the API.';
revoke all on schema private from public;
grant usage on schema private to authenticated;

-- Admin means the token's `rol` claim, as in the policies this replaces (tokens are signed by
-- auth, which takes the role from public.usuarios when it issues them). Never null.
create function private.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'rol' = 'ADMIN', false);
$$;
comment on function private.is_admin() is
  'True when the caller''s token says rol ADMIN. Call in policies as (select private.is_admin()).';

-- The caller's professional profile id; null for anyone without one (clients, admins, anon).
create function private.current_professional_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.id from public.profesionales p where p.usuario_id = auth.uid();
$$;
comment on function private.current_professional_id() is
  'The caller''s public.profesionales id, or null. Call in policies as (select private.current_professional_id()).';

revoke all on function private.is_admin(), private.current_professional_id() from public, anon;
grant execute on function private.is_admin(), private.current_professional_id() to authenticated;

-- users

alter policy "Admins can view every account" on public.usuarios
  using ((select private.is_admin()));

-- professionals: trades catalog

alter policy "Admins can view every trade" on public.oficios
  using ((select private.is_admin()));

alter policy "Admins can add trades" on public.oficios
  with check ((select private.is_admin()));

alter policy "Admins can change trades" on public.oficios
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

-- professionals: profiles and their trades

alter policy "Admins can view every profile" on public.profesionales
  using ((select private.is_admin()));

alter policy "Professionals can view their own trades" on public.profesional_oficios
  using (profesional_id = (select private.current_professional_id()));

alter policy "Admins can view every professional trade" on public.profesional_oficios
  using ((select private.is_admin()));

alter policy "Professionals can add trades to their own profile" on public.profesional_oficios
  with check (profesional_id = (select private.current_professional_id()));

alter policy "Professionals can remove trades from their own profile" on public.profesional_oficios
  using (profesional_id = (select private.current_professional_id()));

-- professionals: points

alter policy "Professionals can view their own points" on public.profesional_puntos
  using (profesional_id = (select private.current_professional_id()));

alter policy "Admins can view every points award" on public.profesional_puntos
  using ((select private.is_admin()));

-- professionals: instant services

alter policy "Professionals can view their own services" on public.servicios_instantaneos
  using (profesional_id = (select private.current_professional_id()));

alter policy "Admins can view every service" on public.servicios_instantaneos
  using ((select private.is_admin()));

alter policy "Admins can add catalog services" on public.servicios_instantaneos
  with check ((select private.is_admin()) and profesional_id is null);

alter policy "Professionals can publish their own services" on public.servicios_instantaneos
  with check (profesional_id = (select private.current_professional_id()));

alter policy "Professionals can change their own services" on public.servicios_instantaneos
  using (profesional_id = (select private.current_professional_id()))
  with check (profesional_id = (select private.current_professional_id()));

alter policy "Professionals can delete their own services" on public.servicios_instantaneos
  using (profesional_id = (select private.current_professional_id()));

alter policy "Professionals can view their own instant services" on public.profesional_servicios_instant
  using (profesional_id = (select private.current_professional_id()));

alter policy "Admins can view every professional instant service" on public.profesional_servicios_instant
  using ((select private.is_admin()));

alter policy "Professionals can add instant services to their own profile" on public.profesional_servicios_instant
  with check (profesional_id = (select private.current_professional_id()));

alter policy "Professionals can remove instant services from their own profile" on public.profesional_servicios_instant
  using (profesional_id = (select private.current_professional_id()));

-- professionals: portfolio

alter policy "Professionals can add items to their own portfolio" on public.portfolio_items
  with check (profesional_id = (select private.current_professional_id()));

alter policy "Professionals can change their own portfolio items" on public.portfolio_items
  using (profesional_id = (select private.current_professional_id()))
  with check (profesional_id = (select private.current_professional_id()));

alter policy "Professionals can delete their own portfolio items" on public.portfolio_items
  using (profesional_id = (select private.current_professional_id()));

-- An image is the caller's when its item is: the subquery does not depend on the row, so it too
-- runs once per statement. (portfolio_items rows are readable by everyone, see its policies.)
alter policy "Professionals can add images to their own portfolio items" on public.portfolio_imagenes
  with check (portfolio_item_id in (
    select i.id from public.portfolio_items i
    where i.profesional_id = (select private.current_professional_id())));

alter policy "Professionals can delete images of their own portfolio items" on public.portfolio_imagenes
  using (portfolio_item_id in (
    select i.id from public.portfolio_items i
    where i.profesional_id = (select private.current_professional_id())));

-- professionals: KYC

alter policy "Professionals can view their own documents" on public.kyc_documentos
  using (profesional_id = (select private.current_professional_id()));

alter policy "Admins can view every document" on public.kyc_documentos
  using ((select private.is_admin()));
