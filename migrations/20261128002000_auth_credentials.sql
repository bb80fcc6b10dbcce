-- Owner: auth. Each account's password hash and e-mail verification state. The account itself
-- (public.usuarios) belongs to users; auth creates it through public.create_usuario().

create table public.auth_credentials (
  user_id uuid primary key references public.usuarios (id) on delete cascade,
  -- PHC-style scrypt (`$scrypt$ln=17,r=8,p=1$salt$hash`) or a legacy bcrypt hash from the
  -- original database (`$2a$`/`$2b$`/`$2y$`), re-hashed on the next successful login.
  password_hash text not null,
  password_changed_at timestamptz not null default now(),
  email_verificado_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint auth_credentials_hash_format check (password_hash ~ '^\$(scrypt\$ln=|2[aby]\$)')
);
comment on table public.auth_credentials is
  'Owner: auth. Password hash and e-mail verification per account; the hash is never readable by API roles.';

alter table public.auth_credentials enable row level security;

create policy "Users can view their own credential status" on public.auth_credentials
  for select to authenticated
  using (user_id = (select auth.uid()));

revoke all on table public.auth_credentials from anon, authenticated;
-- Column-level grant: `password_hash` is deliberately absent, so even the owner cannot select it.
grant select (user_id, password_changed_at, email_verificado_at, created_at, updated_at)
  on table public.auth_credentials to authenticated;
