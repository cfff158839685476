"""The five currencies, and database triggers that keep ledger entries append-only.

PostgreSQL refuses UPDATE and DELETE on entries; SQLite refuses UPDATE (DELETE stays possible
there because the test runner empties tables with DELETE).
"""

from django.db import migrations

CURRENCIES = [
    ("MMK", 0, "Myanmar kyat"),
    ("USD", 2, "US dollar"),
    ("THB", 2, "Thai baht"),
    ("USDS", 6, "US dollar stablecoin"),
    ("XAU", 0, "Gold (milligrams)"),
]
PG_UP = """
CREATE OR REPLACE FUNCTION finance_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER finance_entry_append_only BEFORE UPDATE OR DELETE ON finance_entry
    FOR EACH ROW EXECUTE FUNCTION finance_entry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS finance_entry_append_only ON finance_entry;
DROP FUNCTION IF EXISTS finance_entry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER finance_entry_no_update BEFORE UPDATE ON finance_entry
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS finance_entry_no_update;"


def forwards(apps, schema_editor):
    Currency = apps.get_model("finance", "Currency")
    for code, exponent, name in CURRENCIES:
        Currency.objects.get_or_create(code=code, defaults={"exponent": exponent, "name": name})
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
