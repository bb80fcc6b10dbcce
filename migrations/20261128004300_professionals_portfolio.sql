-- Owner: professionals. Portfolio: work a professional shows, with up to ten images per item.
-- Public content (shown on the public profile even before KYC approval).

create table public.portfolio_items (
  id uuid primary key default gen_random_uuid(),
  profesional_id uuid not null references public.profesionales (id) on delete cascade,
  titulo varchar(200) not null,
  descripcion varchar(1000),
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  constraint portfolio_titulo_length check (char_length(btrim(titulo)) between 1 and 200)
);
comment on table public.portfolio_items is 'Owner: professionals. Portfolio entries of a professional.';

create index portfolio_items_profesional_idx on public.portfolio_items (profesional_id, fecha_creacion desc);

alter table public.portfolio_items enable row level security;

create policy "Portfolio items are viewable by everyone" on public.portfolio_items
  for select to anon, authenticated
  using (true);

create policy "Professionals can add items to their own portfolio" on public.portfolio_items
  for insert to authenticated
  with check (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Professionals can change their own portfolio items" on public.portfolio_items
  for update to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())))
  with check (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

create policy "Professionals can delete their own portfolio items" on public.portfolio_items
  for delete to authenticated
  using (profesional_id in (select p.id from public.profesionales p where p.usuario_id = (select auth.uid())));

revoke all on table public.portfolio_items from anon, authenticated;
grant select on table public.portfolio_items to anon, authenticated;
grant insert, delete on table public.portfolio_items to authenticated;
grant update (titulo, descripcion, fecha_actualizacion) on table public.portfolio_items to authenticated;

create table public.portfolio_imagenes (
  id uuid primary key default gen_random_uuid(),
  portfolio_item_id uuid not null references public.portfolio_items (id) on delete cascade,
  imagen_url varchar(500) not null,
  -- Where the file lives in the `portfolio` bucket (removed with the row).
  storage_path varchar(500),
  orden integer not null,
  fecha_creacion timestamptz not null default now(),
  constraint portfolio_imagenes_orden_not_negative check (orden >= 0)
);
comment on table public.portfolio_imagenes is 'Owner: professionals. Images of a portfolio item, ordered by `orden` (0, 1, 2, …).';

create unique index portfolio_imagenes_item_orden_key on public.portfolio_imagenes (portfolio_item_id, orden);

alter table public.portfolio_imagenes enable row level security;

create policy "Portfolio images are viewable by everyone" on public.portfolio_imagenes
  for select to anon, authenticated
  using (true);

create policy "Professionals can add images to their own portfolio items" on public.portfolio_imagenes
  for insert to authenticated
  with check (portfolio_item_id in (
    select i.id from public.portfolio_items i
    join public.profesionales p on p.id = i.profesional_id
    where p.usuario_id = (select auth.uid())));

create policy "Professionals can delete images of their own portfolio items" on public.portfolio_imagenes
  for delete to authenticated
  using (portfolio_item_id in (
    select i.id from public.portfolio_items i
    join public.profesionales p on p.id = i.profesional_id
    where p.usuario_id = (select auth.uid())));

revoke all on table public.portfolio_imagenes from anon, authenticated;
grant select on table public.portfolio_imagenes to anon, authenticated;
grant insert, delete on table public.portfolio_imagenes to authenticated;

-- At most ten images per item, even under concurrent uploads (the item row is locked first).
create function public.portfolio_limite_imagenes()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  perform 1 from public.portfolio_items where id = new.portfolio_item_id for update;
  if (select count(*) from public.portfolio_imagenes where portfolio_item_id = new.portfolio_item_id) >= 10 then
    raise exception 'Un item de portfolio admite como máximo 10 imágenes' using errcode = 'PT400';
  end if;
  return new;
end;
$$;

create trigger portfolio_limite_imagenes before insert on public.portfolio_imagenes
  for each row execute function public.portfolio_limite_imagenes();
