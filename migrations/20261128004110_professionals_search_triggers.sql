-- Owner: professionals. Keeps the search projections (20261128004100) in step with their sources
-- in the same transaction as every change: profiles, their trades, the account (name, avatar,
-- ban) and the trade catalog (names, activation).

-- Statement-level with transition tables, so a bulk change refreshes in one pass.
create function public.busqueda_tras_insertar_profesional()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.refrescar_busqueda(array(select n.id from nuevos n));
  return null;
end;
$$;

create function public.busqueda_tras_actualizar_profesional()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Only changes search can see (not payout account or KYC review notes).
  perform public.refrescar_busqueda(array(
    select n.id from nuevos n join viejos v on v.id = n.id
    where (n.estado_verificacion, n.nivel, n.radio_cobertura_km, n.acepta_instant, n.tarifa_por_hora,
           n.puntos_experiencia, n.rating_promedio, n.total_resenas, n.usuario_id, n.fecha_creacion)
      is distinct from
          (v.estado_verificacion, v.nivel, v.radio_cobertura_km, v.acepta_instant, v.tarifa_por_hora,
           v.puntos_experiencia, v.rating_promedio, v.total_resenas, v.usuario_id, v.fecha_creacion)
       or extensions.st_asbinary(n.ubicacion) is distinct from extensions.st_asbinary(v.ubicacion)
  ));
  return null;
end;
$$;

create trigger busqueda_tras_insertar after insert on public.profesionales
  referencing new table as nuevos
  for each statement execute function public.busqueda_tras_insertar_profesional();

create trigger busqueda_tras_actualizar after update on public.profesionales
  referencing new table as nuevos old table as viejos
  for each statement execute function public.busqueda_tras_actualizar_profesional();

create function public.busqueda_tras_vincular_oficio()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.refrescar_busqueda(array(select distinct n.profesional_id from nuevos n));
  return null;
end;
$$;

create function public.busqueda_tras_desvincular_oficio()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.refrescar_busqueda(array(
    select distinct v.profesional_id from viejos v
    where exists (select 1 from public.profesionales p where p.id = v.profesional_id)));
  return null;
end;
$$;

create trigger busqueda_tras_vincular after insert on public.profesional_oficios
  referencing new table as nuevos
  for each statement execute function public.busqueda_tras_vincular_oficio();

create trigger busqueda_tras_desvincular after delete on public.profesional_oficios
  referencing old table as viejos
  for each statement execute function public.busqueda_tras_desvincular_oficio();

-- The account (owned by users) carries the name, avatar and ban flag search shows and filters
-- on. This trigger belongs to professionals: it only rewrites professionals' projection.
create function public.busqueda_tras_actualizar_usuario()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.refrescar_busqueda(array(select p.id from public.profesionales p where p.usuario_id = new.id));
  return null;
end;
$$;

create trigger busqueda_tras_actualizar_usuario after update on public.usuarios
  for each row
  when (old.is_active is distinct from new.is_active or old.nombre is distinct from new.nombre
        or old.apellido is distinct from new.apellido or old.avatar_url is distinct from new.avatar_url)
  execute function public.busqueda_tras_actualizar_usuario();

-- Renaming or (de)activating a trade changes which rows and names search holds.
create function public.busqueda_tras_actualizar_oficio()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.refrescar_busqueda(array(
    select po.profesional_id from public.profesional_oficios po where po.oficio_id = new.id));
  return null;
end;
$$;

create trigger busqueda_tras_actualizar_oficio after update on public.oficios
  for each row
  when (old.nombre is distinct from new.nombre or old.activo is distinct from new.activo)
  execute function public.busqueda_tras_actualizar_oficio();

revoke execute on function public.busqueda_tras_insertar_profesional(), public.busqueda_tras_actualizar_profesional(),
  public.busqueda_tras_vincular_oficio(), public.busqueda_tras_desvincular_oficio(),
  public.busqueda_tras_actualizar_usuario(), public.busqueda_tras_actualizar_oficio()
  from public, anon, authenticated;
