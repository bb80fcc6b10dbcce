-- Owner: platform. Extensions every service relies on, in the `extensions` schema as on Supabase.
create extension if not exists postgis with schema extensions;
-- btree_gist: GiST indexes that mix a scalar (trade id) with a location, for coverage search.
create extension if not exists btree_gist with schema extensions;
