-- Owner: professionals. A professional demoted to another role (PUT /admin/users/{id}/role) kept
-- the profile and stayed listed in search and on the public profile: the projection's `visible`
-- now also requires the account's role to be PROFESIONAL, and a role change refreshes it like a
-- ban does. The profile itself is kept, so a promotion back restores it. The function is restated
-- whole (Postgres replaces a function whole); only `visible` differs from 20261217004100.

create or replace function public.refrescar_busqueda(p_ids uuid[])
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
  select p.id, p.usuario_id, p.estado_verificacion = 'APROBADO' and u.is_active and u.rol = 'PROFESIONAL',
    u.nombre, u.apellido, u.avatar_url, p.nivel, p.puntos_experiencia, p.rating_promedio, p.total_resenas,
    p.tarifa_por_hora, p.acepta_instant, p.radio_cobertura_km, p.ubicacion, coalesce(t.nombres, '{}'),
    public.normalizar_busqueda(concat_ws(' ', u.nombre, u.apellido, array_to_string(t.nombres, ' '))),
    p.fecha_creacion, now()
  from public.profesionales p
  join public.usuarios u on u.id = p.usuario_id
  left join (
    select po.profesional_id, array_agg(o.nombre::text order by o.nombre) as nombres
    from public.profesional_oficios po
    join public.oficios o on o.id = po.oficio_id and o.activo
    where po.profesional_id = any(p_ids)
    group by po.profesional_id
  ) t on t.profesional_id = p.id
  where p.id = any(p_ids)
  order by p.id
  on conflict (profesional_id) do update set
    usuario_id = excluded.usuario_id, visible = excluded.visible, nombre = excluded.nombre,
    apellido = excluded.apellido, avatar_url = excluded.avatar_url, nivel = excluded.nivel,
    puntos_experiencia = excluded.puntos_experiencia, rating_promedio = excluded.rating_promedio,
    total_resenas = excluded.total_resenas, tarifa_por_hora = excluded.tarifa_por_hora,
    acepta_instant = excluded.acepta_instant, radio_cobertura_km = excluded.radio_cobertura_km,
    ubicacion = excluded.ubicacion, oficios = excluded.oficios, texto = excluded.texto,
    fecha_creacion = excluded.fecha_creacion, actualizado_en = excluded.actualizado_en;

  delete from public.busqueda_oficios where profesional_id = any(p_ids);
  insert into public.busqueda_oficios (
    oficio_id, profesional_id, visible, ubicacion, radio_cobertura_km, nivel, puntos_experiencia,
    rating_promedio, total_resenas, tarifa_por_hora, acepta_instant)
  select po.oficio_id, b.profesional_id, b.visible, b.ubicacion, b.radio_cobertura_km, b.nivel,
    b.puntos_experiencia, b.rating_promedio, b.total_resenas, b.tarifa_por_hora, b.acepta_instant
  from public.profesional_oficios po
  join public.oficios o on o.id = po.oficio_id and o.activo
  join public.busqueda_profesionales b on b.profesional_id = po.profesional_id
  where po.profesional_id = any(p_ids)
  order by po.oficio_id, po.profesional_id;
end;
$$;
revoke execute on function public.refrescar_busqueda(uuid[]) from public, anon, authenticated;

drop trigger busqueda_tras_actualizar_usuario on public.usuarios;
create trigger busqueda_tras_actualizar_usuario after update on public.usuarios
  for each row
  when (old.is_active is distinct from new.is_active or old.rol is distinct from new.rol
        or old.nombre is distinct from new.nombre or old.apellido is distinct from new.apellido
        or old.avatar_url is distinct from new.avatar_url)
  execute function public.busqueda_tras_actualizar_usuario();

-- Profiles of accounts demoted before this migration.
select public.refrescar_busqueda(array(
  select p.id from public.profesionales p join public.usuarios u on u.id = p.usuario_id
  where u.rol <> 'PROFESIONAL'));
