-- Owner: auth. Ends every live sign-in session of an account (its refresh tokens stop working), for
-- the users function when an admin bans the account: the Redis mark alone stopped its access
-- tokens, but a refresh token kept from before the ban worked again after an unban.

create function public.auth_end_all_sessions(p_user uuid, p_reason public.auth_session_end)
returns integer
language sql
security definer
set search_path = ''
as $$
  with ended as (
    update public.auth_sessions set revoked_at = now(), revoked_reason = p_reason
    where user_id = p_user and revoked_at is null
    returning 1
  )
  select count(*)::integer from ended;
$$;

comment on function public.auth_end_all_sessions(uuid, public.auth_session_end) is
  'Owner: auth. Revokes every live session of the user; answers how many. Service role only.';

revoke execute on function public.auth_end_all_sessions(uuid, public.auth_session_end)
  from public, anon, authenticated;
grant execute on function public.auth_end_all_sessions(uuid, public.auth_session_end) to service_role;
