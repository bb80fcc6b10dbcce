-- Owner: notifications. The two statements of every delivered event (functions/notifications/
-- notify.ts), as plpgsql functions because plpgsql keeps their plans for the session: the
-- functions connect with `prepare: false` (Supavisor's transaction mode), so a plain statement is
-- parsed and planned on every call — for these, longer than it takes to run.

-- A person a rule names, with their notification preferences (null: they never changed any).
create function public.notification_recipient(p_usuario_id uuid)
returns table (id uuid, email text, nombre text, apellido text, is_active boolean, preferences jsonb)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  return query
    select u.id, u.email::text, u.nombre::text, u.apellido::text, u.is_active,
           case when p.usuario_id is null then null else to_jsonb(p) end
    from public.usuarios u
    left join public.notification_preferences p on p.usuario_id = u.id
    where u.id = p_usuario_id;
end;
$$;
revoke execute on function public.notification_recipient(uuid) from public, anon, authenticated;

-- What one event leaves for the people it concerns, in ONE call: the consumer's inbox row and —
-- only when that row is new, so a redelivery writes nothing — the in-app notifications and the
-- e-mail / push delivery rows its rules drafted (one round trip instead of BEGIN … COMMIT).
--
-- p_notes:      [{usuario_id, tipo, categoria, titulo, mensaje, data}] — at most one per person;
-- p_deliveries: [{usuario_id, channel, payload, with_notification}] — with_notification links the
--               row to that person's notification of this event.
-- Returns the ids of the delivery rows written (to send after the commit), or null when the event
-- was already in the inbox.

create function public.record_notification_event(
  p_consumer text,
  p_event_id uuid,
  p_event_type text,
  p_notes jsonb,
  p_deliveries jsonb
) returns uuid[]
language plpgsql
security invoker
set search_path = ''
as $$
declare
  delivery_ids uuid[];
begin
  insert into public.inbox (consumer, event_id, event_type)
  values (p_consumer, p_event_id, p_event_type)
  on conflict (consumer, event_id) do nothing;
  if not found then
    return null;
  end if;

  with notes as (
    insert into public.notifications (usuario_id, tipo, categoria, titulo, mensaje, data, event_id)
    select n.usuario_id, n.tipo, n.categoria, n.titulo, n.mensaje, n.data, p_event_id
    from jsonb_to_recordset(p_notes)
      as n(usuario_id uuid, tipo text, categoria text, titulo text, mensaje text, data jsonb)
    on conflict (event_id, usuario_id) where event_id is not null do nothing
    returning id, usuario_id
  ), sent as (
    insert into public.notification_deliveries (usuario_id, channel, event_id, notification_id, payload)
    select d.usuario_id, d.channel, p_event_id, notes.id, d.payload
    from jsonb_to_recordset(p_deliveries)
      as d(usuario_id uuid, channel text, payload jsonb, with_notification boolean)
    left join notes on d.with_notification and notes.usuario_id = d.usuario_id
    on conflict (event_id, usuario_id, channel) do nothing
    returning id
  )
  select coalesce(array_agg(sent.id), '{}') into delivery_ids from sent;
  return delivery_ids;
end;
$$;
revoke execute on function public.record_notification_event(text, uuid, text, jsonb, jsonb)
  from public, anon, authenticated;
