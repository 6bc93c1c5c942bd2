"""Name search by two-character pieces on PostgreSQL.

Chinese company names are searched by their 字号, often two characters, which a trigram index cannot
serve. A stored generated column holds the distinct two-character pieces of the name, with a GIN index;
the list filters `name_grams @> pieces(q)` and then `name LIKE %q%`. PostgreSQL computes the column on
every insert or update (COPY included), so no application code maintains it. SQLite does nothing here.
"""

from django.db import migrations

FORWARDS = [
    """CREATE OR REPLACE FUNCTION zjtx_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
         FROM generate_series(1, greatest(char_length(t) - 1, 0)) AS i
       $$""",
    "ALTER TABLE enterprises_enterprise ADD COLUMN IF NOT EXISTS name_grams text[] "
    "GENERATED ALWAYS AS (zjtx_bigrams(name)) STORED",
    "CREATE INDEX IF NOT EXISTS ent_name_grams ON enterprises_enterprise USING gin (name_grams)",
    "DROP INDEX IF EXISTS ent_name_trgm",
]
BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS ent_name_trgm ON enterprises_enterprise USING gin (name gin_trgm_ops)",
    "DROP INDEX IF EXISTS ent_name_grams",
    "ALTER TABLE enterprises_enterprise DROP COLUMN IF EXISTS name_grams",
    "DROP FUNCTION IF EXISTS zjtx_bigrams(text)",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_list_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
