-- Owner: professionals. The search read model: projections of the profile kept in step with
-- their sources in the same transaction, so search reads one table and an index-ordered scan.
-- DESIGN.md §4: one row per (professional, trade) with location, radius, rating, rate and level,
-- a partial GiST index on (trade, location) over the visible rows (btree_gist), and the search
-- written as `order by ubicacion <-> point limit N` with a constant bound + per-row radius filter.

-- Lower-case, accent-free text for substring search ("plomeria" finds "Plomería").
create function public.normalizar_busqueda(p_text text)
returns text
language sql
immutable
parallel safe
security invoker
set search_path = ''
as $$
  select translate(lower(coalesce(p_text, '')), 'áàäâãéèëêíìïîóòöôõúùüûñç', 'aaaaaeeeeiiiiooooouuuunc');
$$;

-- One row per professional: what search results and the public profile show. `visible` = approved
-- and the account is active; only visible rows are ever returned.
create table public.busqueda_profesionales (
  profesional_id uuid primary key references public.profesionales (id) on delete cascade,
  usuario_id uuid not null,
  visible boolean not null,
  nombre varchar(100) not null,
  apellido varchar(100) not null,
  avatar_url varchar(500),
  nivel public.professional_level not null,
  puntos_experiencia integer not null,
  rating_promedio numeric(3, 2) not null,
  total_resenas integer not null,
  tarifa_por_hora numeric(12, 2),
  acepta_instant boolean not null,
  radio_cobertura_km integer not null,
  ubicacion extensions.geography(Point, 4326),
  oficios text[] not null default '{}',
  texto text not null default '',
  fecha_creacion timestamptz not null,
  actualizado_en timestamptz not null default now()
);
comment on table public.busqueda_profesionales is 'Owner: professionals. Search/public-profile projection of profesionales + usuarios + trades; written only by public.refrescar_busqueda().';

create index busqueda_profesionales_ubicacion_idx on public.busqueda_profesionales
  using gist (ubicacion) where visible;
create index busqueda_profesionales_rating_idx on public.busqueda_profesionales
  (rating_promedio desc, total_resenas desc, profesional_id) where visible;
create index busqueda_profesionales_tarifa_idx on public.busqueda_profesionales
  (tarifa_por_hora, profesional_id) where visible;
create index busqueda_profesionales_nivel_idx on public.busqueda_profesionales
  (nivel desc, puntos_experiencia desc, profesional_id) where visible;
create index busqueda_profesionales_radio_idx on public.busqueda_profesionales (radio_cobertura_km) where visible;
create index busqueda_profesionales_usuario_idx on public.busqueda_profesionales (usuario_id);

alter table public.busqueda_profesionales enable row level security;
-- No policies: the projection holds base locations, which are not public; search and public
-- profiles read it through the owner's service connection and return public fields only.
revoke all on table public.busqueda_profesionales from anon, authenticated;

-- One row per (trade, professional): what a trade-scoped search scans.
create table public.busqueda_oficios (
  oficio_id uuid not null references public.oficios (id) on delete cascade,
  profesional_id uuid not null references public.busqueda_profesionales (profesional_id) on delete cascade,
  visible boolean not null,
  ubicacion extensions.geography(Point, 4326),
  radio_cobertura_km integer not null,
  nivel public.professional_level not null,
  puntos_experiencia integer not null,
  rating_promedio numeric(3, 2) not null,
  total_resenas integer not null,
  tarifa_por_hora numeric(12, 2),
  acepta_instant boolean not null,
  primary key (oficio_id, profesional_id)
);
comment on table public.busqueda_oficios is 'Owner: professionals. Search projection, one row per (trade, professional); written only by public.refrescar_busqueda().';

-- Coverage search: KNN on location within one trade, visible rows only.
create index busqueda_oficios_cobertura_idx on public.busqueda_oficios
  using gist (oficio_id, ubicacion) where visible;
-- The constant bound of a coverage search: the largest radius in the trade (an index-only lookup).
create index busqueda_oficios_radio_idx on public.busqueda_oficios (oficio_id, radio_cobertura_km) where visible;
-- Trade-scoped sorts without a point (or with a dense one): read in index order, stop at the page.
create index busqueda_oficios_rating_idx on public.busqueda_oficios
  (oficio_id, rating_promedio desc, total_resenas desc, profesional_id) where visible;
create index busqueda_oficios_tarifa_idx on public.busqueda_oficios
  (oficio_id, tarifa_por_hora, profesional_id) where visible;
create index busqueda_oficios_nivel_idx on public.busqueda_oficios
  (oficio_id, nivel desc, puntos_experiencia desc, profesional_id) where visible;
create index busqueda_oficios_profesional_idx on public.busqueda_oficios (profesional_id);

alter table public.busqueda_oficios enable row level security;
revoke all on table public.busqueda_oficios from anon, authenticated;

-- Rebuilds both projections for the given professionals from the source tables. Called by the
-- triggers below (same transaction as the change) and, set-based, by bulk loaders.
create function public.refrescar_busqueda(p_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_ids is null or cardinality(p_ids) = 0 then
    return;
  end if;

  insert into public.busqueda_profesionales as b (
    profesional_id, usuario_id, visible, nombre, apellido, avatar_url, nivel, puntos_experiencia,
    rating_promedio, total_resenas, tarifa_por_hora, acepta_instant, radio_cobertura_km, ubicacion,
    oficios, texto, fecha_creacion, actualizado_en)
  select p.id, p.usuario_id, p.estado_verificacion = 'APROBADO' and u.is_active, u.nombre, u.apellido,
    u.avatar_url, p.nivel, p.puntos_experiencia, p.rating_promedio, p.total_resenas, p.tarifa_por_hora,
    p.acepta_instant, p.radio_cobertura_km, p.ubicacion, coalesce(t.nombres, '{}'),
    public.normalizar_busqueda(concat_ws(' ', u.nombre, u.apellido, array_to_string(t.nombres, ' '))),
    p.fecha_creacion, now()
  from public.profesionales p
  join public.usuarios u on u.id = p.usuario_id
  left join lateral (
    select array_agg(o.nombre::text order by o.nombre) as nombres
    from public.profesional_oficios po
    join public.oficios o on o.id = po.oficio_id and o.activo
    where po.profesional_id = p.id
  ) t on true
  where p.id in (select unnest(p_ids))
  on conflict (profesional_id) do update set
    usuario_id = excluded.usuario_id, visible = excluded.visible, nombre = excluded.nombre,
    apellido = excluded.apellido, avatar_url = excluded.avatar_url, nivel = excluded.nivel,
    puntos_experiencia = excluded.puntos_experiencia, rating_promedio = excluded.rating_promedio,
    total_resenas = excluded.total_resenas, tarifa_por_hora = excluded.tarifa_por_hora,
    acepta_instant = excluded.acepta_instant, radio_cobertura_km = excluded.radio_cobertura_km,
    ubicacion = excluded.ubicacion, oficios = excluded.oficios, texto = excluded.texto,
    fecha_creacion = excluded.fecha_creacion, actualizado_en = excluded.actualizado_en;

  delete from public.busqueda_oficios where profesional_id in (select unnest(p_ids));
  insert into public.busqueda_oficios (
    oficio_id, profesional_id, visible, ubicacion, radio_cobertura_km, nivel, puntos_experiencia,
    rating_promedio, total_resenas, tarifa_por_hora, acepta_instant)
  select po.oficio_id, b.profesional_id, b.visible, b.ubicacion, b.radio_cobertura_km, b.nivel,
    b.puntos_experiencia, b.rating_promedio, b.total_resenas, b.tarifa_por_hora, b.acepta_instant
  from public.profesional_oficios po
  join public.oficios o on o.id = po.oficio_id and o.activo
  join public.busqueda_profesionales b on b.profesional_id = po.profesional_id
  where po.profesional_id in (select unnest(p_ids));
end;
$$;
revoke execute on function public.refrescar_busqueda(uuid[]) from public, anon, authenticated;

-- Set-based rebuild of the whole projection (bulk loads, repairs).
create function public.reconstruir_busqueda()
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  ids uuid[];
begin
  select coalesce(array_agg(id), '{}') into ids from public.profesionales;
  perform public.refrescar_busqueda(ids);
  return cardinality(ids);
end;
$$;
revoke execute on function public.reconstruir_busqueda() from public, anon, authenticated;
