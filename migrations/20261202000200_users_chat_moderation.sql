-- Owner: users. The SQL interface through which chat-offers changes the chat-moderation columns
-- users owns (usuarios.infracciones_chat, is_chat_banned), the way auth creates accounts through
-- create_usuario(). Each writes its outbox event in the same transaction. Service role only.

-- One more strike; at p_max the user is banned from chat (event chat.banned, once).
-- Unknown user: SQLSTATE P0002 (no_data_found), which the caller maps to 404.
create function public.record_chat_infraction(p_user uuid, p_max integer, p_reason text default null)
returns table (infracciones integer, banned boolean, newly_banned boolean, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before boolean;
  v_count integer;
  v_event uuid;
begin
  select u.is_chat_banned into v_before from public.usuarios u where u.id = p_user for update;
  if not found then
    raise exception 'Usuario % no encontrado', p_user using errcode = 'P0002';
  end if;
  update public.usuarios u
    set infracciones_chat = u.infracciones_chat + 1,
        is_chat_banned = u.is_chat_banned or u.infracciones_chat + 1 >= p_max,
        fecha_actualizacion = now()
    where u.id = p_user
    returning u.infracciones_chat, u.is_chat_banned into v_count, banned;
  if banned and not v_before then
    insert into public.outbox (type, aggregate_id, producer, payload)
    values ('chat.banned', p_user::text, 'users', jsonb_build_object(
      'user_id', p_user, 'infracciones_chat', v_count, 'max', p_max, 'reason', p_reason))
    returning id into v_event;
  end if;
  return query select v_count, banned, banned and not v_before, v_event;
end;
$$;
comment on function public.record_chat_infraction(uuid, integer, text) is
  'Owner: users. Counts a chat strike; bans from chat at p_max (emits chat.banned). Service role only.';

-- An admin lifts the chat ban and resets the counter (event chat.unbanned when it was banned).
create function public.lift_chat_ban(p_user uuid, p_actor uuid)
returns table (infracciones integer, was_banned boolean, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before boolean;
  v_previous integer;
  v_event uuid;
begin
  select u.is_chat_banned, u.infracciones_chat into v_before, v_previous
    from public.usuarios u where u.id = p_user for update;
  if not found then
    raise exception 'Usuario % no encontrado', p_user using errcode = 'P0002';
  end if;
  update public.usuarios u
    set infracciones_chat = 0, is_chat_banned = false, fecha_actualizacion = now()
    where u.id = p_user;
  if v_before then
    insert into public.outbox (type, aggregate_id, producer, payload)
    values ('chat.unbanned', p_user::text, 'users', jsonb_build_object(
      'user_id', p_user, 'by', p_actor, 'infracciones_previas', v_previous))
    returning id into v_event;
  end if;
  return query select 0, v_before, v_event;
end;
$$;
comment on function public.lift_chat_ban(uuid, uuid) is
  'Owner: users. Lifts a chat ban and resets the strike counter (emits chat.unbanned). Service role only.';

revoke execute on function public.record_chat_infraction(uuid, integer, text) from public, anon, authenticated;
revoke execute on function public.lift_chat_ban(uuid, uuid) from public, anon, authenticated;
grant execute on function public.record_chat_infraction(uuid, integer, text) to service_role;
grant execute on function public.lift_chat_ban(uuid, uuid) to service_role;
