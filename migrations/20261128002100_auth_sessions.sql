-- Owner: auth. Sign-in sessions and their refresh tokens. A session is a refresh-token family:
-- its id is the access token's `sid`; every refresh rotates the token, and presenting a rotated
-- token again (theft) revokes the whole family.

create type public.auth_session_end as enum (
  'logout', 'logout_all', 'reuse_detected', 'password_changed', 'password_reset', 'account_disabled'
);

create table public.auth_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.usuarios (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_reason public.auth_session_end,
  user_agent varchar(500),
  ip varchar(64),
  constraint auth_sessions_revocation_complete check ((revoked_at is null) = (revoked_reason is null))
);
comment on table public.auth_sessions is
  'Owner: auth. One row per sign-in (refresh-token family); id = the access token''s sid.';

create index auth_sessions_user_active_idx on public.auth_sessions (user_id) where revoked_at is null;
create index auth_sessions_user_idx on public.auth_sessions (user_id, created_at desc);

alter table public.auth_sessions enable row level security;

create policy "Users can view their own sessions" on public.auth_sessions
  for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.auth_sessions from anon, authenticated;
grant select on table public.auth_sessions to authenticated;

create table public.auth_refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.auth_sessions (id) on delete cascade,
  user_id uuid not null references public.usuarios (id) on delete cascade,
  -- SHA-256 of the opaque token; the token itself is only ever in the client's hands.
  token_hash bytea not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  rotated_at timestamptz,
  constraint auth_refresh_tokens_hash_length check (octet_length(token_hash) = 32),
  constraint auth_refresh_tokens_expiry_after_creation check (expires_at > created_at)
);
comment on table public.auth_refresh_tokens is
  'Owner: auth. Refresh tokens (hashed); rotated_at set when exchanged, re-use revokes the session.';

create unique index auth_refresh_tokens_hash_key on public.auth_refresh_tokens (token_hash);
create index auth_refresh_tokens_session_idx on public.auth_refresh_tokens (session_id);
create index auth_refresh_tokens_user_idx on public.auth_refresh_tokens (user_id);

alter table public.auth_refresh_tokens enable row level security;

create policy "Users can view their own refresh tokens" on public.auth_refresh_tokens
  for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.auth_refresh_tokens from anon, authenticated;
grant select (id, session_id, user_id, created_at, expires_at, rotated_at)
  on table public.auth_refresh_tokens to authenticated;
