-- Owner: auth. A session ended in the database whose registry mark (Redis: its access tokens are
-- refused everywhere) could not be written because Redis did not answer: a refresh-token reuse or
-- a disabled account's refresh, which nobody retries. The scheduled POST /auth/events/sessions
-- writes the mark once Redis answers and clears the flag (functions/auth/registry-marks.ts).

alter table public.auth_sessions add column registry_mark_pending boolean not null default false;

create index auth_sessions_registry_mark_pending_idx on public.auth_sessions (revoked_at)
  where registry_mark_pending;
