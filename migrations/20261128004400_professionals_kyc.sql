-- Owner: professionals. Identity documents a professional sends for verification (KYC). Files live
-- in the private `kyc` storage bucket; admins read them only through short-lived signed URLs.

create table public.kyc_documentos (
  id uuid primary key default gen_random_uuid(),
  profesional_id uuid not null references public.profesionales (id) on delete cascade,
  -- One submission groups the files sent together.
  envio_id uuid not null,
  nombre_archivo varchar(255) not null,
  content_type varchar(100) not null,
  tamano_bytes integer,
  -- Object path in the `kyc` bucket, or, for the JSON flavour of /kyc/submit, the URL given.
  storage_path varchar(500),
  url_externa varchar(2000),
  fecha_creacion timestamptz not null default now(),
  constraint kyc_documentos_tamano_not_negative check (tamano_bytes is null or tamano_bytes >= 0),
  constraint kyc_documentos_tiene_origen check ((storage_path is null) <> (url_externa is null))
);
comment on table public.kyc_documentos is 'Owner: professionals. KYC documents per submission; written by the KYC transition with the state change.';

create index kyc_documentos_profesional_idx on public.kyc_documentos (profesional_id, fecha_creacion desc);

alter table public.kyc_documentos enable row level security;

create policy "Professionals can view their own documents" on public.kyc_documentos
  for select to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Admins can view every document" on public.kyc_documentos
  for select to authenticated
  using ((select auth.jwt() ->> 'rol') = 'ADMIN');

revoke all on table public.kyc_documentos from anon, authenticated;
grant select on table public.kyc_documentos to authenticated;

-- The review queue is ordered by submission time.
create index profesionales_kyc_cola_idx on public.profesionales (estado_verificacion, kyc_fecha_envio);
