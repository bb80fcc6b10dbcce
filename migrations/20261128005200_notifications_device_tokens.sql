-- Owner: notifications. FCM registration tokens of each person's devices (browsers, phones).
-- A token belongs to whoever registered it last (a shared device changes hands); tokens FCM
-- reports as gone are deleted by the push sender.

create table public.device_tokens (
  id uuid primary key default gen_random_uuid(),
  usuario_id uuid not null references public.usuarios (id) on delete cascade,
  token varchar(1024) not null,
  platform varchar(10) not null default 'web',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Printable ASCII without spaces (FCM tokens are base64url-ish); keeps the unique index small.
  constraint device_tokens_token_format check (token ~ '^[!-~]+$'),
  constraint device_tokens_platform_known check (platform in ('web', 'android', 'ios'))
);
comment on table public.device_tokens is
  'Owner: notifications. FCM device tokens per person; registered through public.register_device_token().';

create unique index device_tokens_token_key on public.device_tokens (token);
create index device_tokens_usuario_idx on public.device_tokens (usuario_id);

alter table public.device_tokens enable row level security;

create policy "Users can view their own device tokens" on public.device_tokens
  for select to authenticated
  using (usuario_id = (select auth.uid()));

create policy "Users can remove their own device tokens" on public.device_tokens
  for delete to authenticated
  using (usuario_id = (select auth.uid()));

revoke all on table public.device_tokens from anon, authenticated;
grant select, delete on table public.device_tokens to authenticated;

-- Registering moves a token to the caller even when another account registered it before, which
-- RLS cannot express for an insert-or-update; hence a definer function bound to auth.uid().
create function public.register_device_token(p_token text, p_platform text)
returns public.device_tokens
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_row public.device_tokens;
begin
  if v_uid is null then
    raise exception 'Not authenticated' using errcode = 'PT401';
  end if;
  insert into public.device_tokens (usuario_id, token, platform)
  values (v_uid, p_token, p_platform)
  on conflict (token) do update
    set usuario_id = excluded.usuario_id, platform = excluded.platform, updated_at = now()
  returning * into v_row;
  return v_row;
end;
$$;
revoke execute on function public.register_device_token(text, text) from public, anon;
grant execute on function public.register_device_token(text, text) to authenticated;
