-- Reference data every environment needs (the Supabase CLI runs this after `db reset`; the local
-- stack runs it on every start). Idempotent.

insert into public.oficios (nombre, descripcion) values
  ('Plomería', 'Instalación y reparación de cañerías, griferías, termotanques y desagües.'),
  ('Electricidad', 'Instalaciones eléctricas, tableros, tomas, iluminación y reparación de fallas.'),
  ('Carpintería', 'Muebles a medida, puertas, ventanas, placares y arreglos en madera.'),
  ('Pintura', 'Pintura de interiores y exteriores, empapelado y tratamiento de humedad.'),
  ('Albañilería', 'Construcción, reformas, revoques, contrapisos y colocación de cerámicos.'),
  ('Jardinería', 'Mantenimiento de jardines, poda, parquización y riego.'),
  ('Limpieza', 'Limpieza de hogares, oficinas, fin de obra y tapizados.'),
  ('Cerrajería', 'Apertura de puertas, cambio de cerraduras, copias de llaves y cerraduras de seguridad.'),
  ('Climatización', 'Instalación y service de aires acondicionados, calefacción y ventilación.'),
  ('Reparación de electrodomésticos', 'Reparación de heladeras, lavarropas, hornos y pequeños electrodomésticos.')
on conflict do nothing;
