-- Owner: chat-offers. The chats between a client and a professional, as far as rules need them:
-- who the two participants are, what the chat is linked to, each participant's unread count and
-- notification debounce, and the moderation record of every contact-masking strike. Messages
-- themselves live in Firestore (chats/{id}, messages/{id}/messages, user_chats/{uid}/chats), where
-- the existing frontend reads them.

create table public.chats (
  id uuid primary key default gen_random_uuid(),
  -- Both are usuarios.id (the professional's account, not the profile id), as in offers and jobs.
  cliente_id uuid not null references public.usuarios (id) on delete cascade,
  profesional_id uuid not null references public.usuarios (id) on delete cascade,
  -- Links to the job / offer the chat is about; foreign keys come with those tables.
  trabajo_id uuid,
  oferta_id uuid,
  created_at timestamptz not null default now(),
  last_message_at timestamptz,
  constraint chats_two_people check (cliente_id <> profesional_id)
);
comment on table public.chats is
  'Owner: chat-offers. One row per Firestore chat (same id); written only by chat-offers service code.';

-- One chat per pair while no job is involved (opening it again returns the same chat).
create unique index chats_pair_without_job_key on public.chats (cliente_id, profesional_id)
  where trabajo_id is null;
create index chats_cliente_idx on public.chats (cliente_id, last_message_at desc);
create index chats_profesional_idx on public.chats (profesional_id, last_message_at desc);
create index chats_trabajo_idx on public.chats (trabajo_id) where trabajo_id is not null;

alter table public.chats enable row level security;

create policy "Chats are viewable by their client and professional" on public.chats
  for select to authenticated
  using (cliente_id = (select auth.uid()) or profesional_id = (select auth.uid()));

create policy "Admins can view every chat" on public.chats
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.chats from anon, authenticated;
grant select on table public.chats to authenticated;

-- Per participant: unread messages (mirrors user_chats.unreadCount), when they last read, and
-- when they were last notified of a new message (one `chat.message_sent` per burst).
create table public.chat_participantes (
  chat_id uuid not null references public.chats (id) on delete cascade,
  usuario_id uuid not null references public.usuarios (id) on delete cascade,
  unread_count integer not null default 0,
  last_read_at timestamptz,
  last_notified_at timestamptz,
  primary key (chat_id, usuario_id),
  constraint chat_participantes_unread_not_negative check (unread_count >= 0)
);
comment on table public.chat_participantes is
  'Owner: chat-offers. Each participant''s read state of a chat; written only by chat-offers service code.';

create index chat_participantes_usuario_idx on public.chat_participantes (usuario_id);

alter table public.chat_participantes enable row level security;

create policy "Participants can view their own read state" on public.chat_participantes
  for select to authenticated
  using (usuario_id = (select auth.uid()));

create policy "Admins can view every read state" on public.chat_participantes
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.chat_participantes from anon, authenticated;
grant select on table public.chat_participantes to authenticated;

-- Every strike: masked contact details in a message sent through the API, or the moderation
-- webhook. Only a hash of the original text is kept, never the text.
create table public.chat_infracciones (
  id uuid primary key default gen_random_uuid(),
  usuario_id uuid not null references public.usuarios (id) on delete cascade,
  chat_id uuid references public.chats (id) on delete set null,
  message_id text,
  reasons text[] not null default '{}',
  source text not null,
  text_hash text,
  created_at timestamptz not null default now(),
  constraint chat_infracciones_source check (source in ('masking', 'webhook')),
  constraint chat_infracciones_text_hash_is_sha256 check (text_hash is null or text_hash ~ '^[0-9a-f]{64}$'),
  constraint chat_infracciones_message_id_length check (message_id is null or char_length(message_id) <= 200),
  constraint chat_infracciones_reasons_count check (cardinality(reasons) <= 20)
);
comment on table public.chat_infracciones is
  'Owner: chat-offers. Moderation strikes; the counter itself is usuarios.infracciones_chat (users).';

create index chat_infracciones_usuario_idx on public.chat_infracciones (usuario_id, created_at desc);
create index chat_infracciones_created_at_idx on public.chat_infracciones (created_at desc);
create index chat_infracciones_chat_idx on public.chat_infracciones (chat_id) where chat_id is not null;

alter table public.chat_infracciones enable row level security;

create policy "Users can view their own infractions" on public.chat_infracciones
  for select to authenticated
  using (usuario_id = (select auth.uid()));

create policy "Admins can view every infraction" on public.chat_infracciones
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.chat_infracciones from anon, authenticated;
grant select on table public.chat_infracciones to authenticated;

-- The public card (name, avatar, role) of the people the caller shares a chat with — RLS lets a
-- user read only their own usuarios row, so the chat list gets the other party through here.
create function public.chat_people(p_ids uuid[])
returns table (id uuid, nombre varchar, apellido varchar, avatar_url varchar, rol public.user_role)
language sql
stable
security definer
set search_path = ''
as $$
  select u.id, u.nombre, u.apellido, u.avatar_url, u.rol
  from public.usuarios u
  where u.id = any(p_ids)
    and (select auth.uid()) is not null
    and (
      u.id = (select auth.uid())
      or (select private.is_admin())
      or exists (
        select 1 from public.chats c
        where (c.cliente_id = (select auth.uid()) and c.profesional_id = u.id)
           or (c.profesional_id = (select auth.uid()) and c.cliente_id = u.id)
      )
    );
$$;
comment on function public.chat_people(uuid[]) is
  'Owner: chat-offers. Public fields of the given accounts that share a chat with the caller (all, for admins).';
revoke execute on function public.chat_people(uuid[]) from public, anon;
grant execute on function public.chat_people(uuid[]) to authenticated;
