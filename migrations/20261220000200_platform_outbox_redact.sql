-- Owner: platform (shared/outbox-store.ts, shared/events.ts).

-- Some events carry a live secret for their subscriber: a password-reset or e-mail-verification
-- event holds the link with its one-time token, which auth itself stores only hashed
-- (auth_one_time_tokens). Our copy keeps such keys only until QStash has the event: after that
-- nothing reads them here (dead letters are redriven from QStash's own copy, shared/dead-letters.ts),
-- and the outbox keeps published rows for a week, in every backup too.
alter table public.outbox add column redact_on_publish text[] not null default '{}';
comment on column public.outbox.redact_on_publish is
  'Payload keys removed once the event is published (links carrying a one-time token).';

-- Rows published before this migration.
update public.outbox set payload = payload - array['reset_url', 'verification_url']
where status = 'published' and type in ('password.reset_requested', 'email.verification_requested')
  and payload ?| array['reset_url', 'verification_url'];
-- Rows still to be published (QStash down while this deploys): their links go when they are.
update public.outbox set redact_on_publish = array['reset_url']
where status <> 'published' and type = 'password.reset_requested';
update public.outbox set redact_on_publish = array['verification_url']
where status <> 'published' and type = 'email.verification_requested';
