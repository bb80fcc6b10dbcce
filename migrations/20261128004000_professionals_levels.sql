-- Owner: professionals. Levels, their commission, and the points ledger that moves professionals
-- between them (API.md "Commission and levels").

-- The commission table lives in the database so it can change without a deploy. A professional's
-- level is the highest one whose threshold is <= their points; the commission applied at release
-- is the professional's `tasa_comision_actual` at that moment.
create table public.niveles (
  nivel public.professional_level primary key,
  puntos_minimos integer not null,
  tasa_comision numeric(5, 4) not null,
  fecha_actualizacion timestamptz not null default now(),
  constraint niveles_puntos_minimos_not_negative check (puntos_minimos >= 0),
  constraint niveles_tasa_fraction check (tasa_comision between 0 and 1)
);
comment on table public.niveles is 'Owner: professionals. Level thresholds (points) and the commission each level pays.';

create unique index niveles_puntos_minimos_key on public.niveles (puntos_minimos);

alter table public.niveles enable row level security;

create policy "Levels are viewable by everyone" on public.niveles
  for select to anon, authenticated
  using (true);

revoke all on table public.niveles from anon, authenticated;
grant select on table public.niveles to anon, authenticated;

insert into public.niveles (nivel, puntos_minimos, tasa_comision) values
  ('BRONCE', 0, 0.20),
  ('PLATA', 1000, 0.18),
  ('ORO', 5000, 0.15),
  ('DIAMANTE', 15000, 0.10)
on conflict (nivel) do nothing;

-- The level a number of points reaches (BRONCE when below every threshold).
create function public.nivel_para_puntos(p_puntos integer)
returns public.niveles
language sql
stable
security invoker
set search_path = ''
as $$
  select n.* from public.niveles n
  where n.puntos_minimos <= greatest(p_puntos, 0)
  order by n.puntos_minimos desc
  limit 1;
$$;

-- Every award of experience points, once per reason and reference: a job counts once whether
-- `job.approved` or `escrow.released` (or both) announce it; a review counts once.
create table public.profesional_puntos (
  id uuid primary key default gen_random_uuid(),
  profesional_id uuid not null references public.profesionales (id) on delete cascade,
  motivo text not null,
  referencia text not null,
  puntos integer not null,
  evento_id uuid,
  fecha_creacion timestamptz not null default now(),
  constraint profesional_puntos_motivo_known check (motivo in ('TRABAJO_APROBADO', 'RESENA')),
  constraint profesional_puntos_not_negative check (puntos >= 0)
);
comment on table public.profesional_puntos is 'Owner: professionals. Points ledger written by the event handlers (job approved, review created).';

create unique index profesional_puntos_motivo_referencia_key on public.profesional_puntos (motivo, referencia);
create index profesional_puntos_profesional_idx on public.profesional_puntos (profesional_id, fecha_creacion desc);

alter table public.profesional_puntos enable row level security;

create policy "Professionals can view their own points" on public.profesional_puntos
  for select to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Admins can view every points award" on public.profesional_puntos
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

revoke all on table public.profesional_puntos from anon, authenticated;
grant select on table public.profesional_puntos to authenticated;
