"""Full-text search structures that depend on the database: FTS5 on SQLite, tsvector + GIN and
pg_trgm on PostgreSQL. The pg_trgm extension is optional: without it, search has no typo tolerance."""

from django.db import migrations


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS programmes_fts USING fts5("
                "title, body, tokenize = 'unicode61 remove_diacritics 2')"
            )
        elif connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE programmes_programme ADD COLUMN IF NOT EXISTS search_vector tsvector")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS programme_search_gin ON programmes_programme USING GIN (search_vector)"
            )
            cursor.execute("SAVEPOINT trgm")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception:  # noqa: BLE001 - no permission: search works without typo tolerance
                cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            else:
                cursor.execute("RELEASE SAVEPOINT trgm")
                cursor.execute(
                    "CREATE INDEX IF NOT EXISTS programme_titles_trgm ON programmes_programme "
                    "USING GIN (search_titles gin_trgm_ops)"
                )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS programmes_fts")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS programme_titles_trgm")
            cursor.execute("DROP INDEX IF EXISTS programme_search_gin")
            cursor.execute("ALTER TABLE programmes_programme DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
