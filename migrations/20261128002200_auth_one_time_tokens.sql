-- Owner: auth. Single-use tokens sent by e-mail: password reset (1 h) and e-mail verification.
-- Stored hashed; consuming one is an atomic update (`used_at is null and expires_at > now()`).

create type public.auth_token_purpose as enum ('password_reset', 'email_verification');

create table public.auth_one_time_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.usuarios (id) on delete cascade,
  purpose public.auth_token_purpose not null,
  token_hash bytea not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  constraint auth_one_time_tokens_hash_length check (octet_length(token_hash) = 32),
  constraint auth_one_time_tokens_expiry_after_creation check (expires_at > created_at)
);
comment on table public.auth_one_time_tokens is
  'Owner: auth. Hashed single-use tokens for password reset and e-mail verification.';

create unique index auth_one_time_tokens_hash_key on public.auth_one_time_tokens (token_hash);
create index auth_one_time_tokens_user_purpose_idx on public.auth_one_time_tokens (user_id, purpose);

alter table public.auth_one_time_tokens enable row level security;

create policy "Users can view their own one-time tokens" on public.auth_one_time_tokens
  for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.auth_one_time_tokens from anon, authenticated;
grant select (id, user_id, purpose, created_at, expires_at, used_at)
  on table public.auth_one_time_tokens to authenticated;
