"""PostgreSQL: the database itself refuses UPDATE and DELETE on the audit log and its hash chain.

The trigger holds for every role, including the tables' owner. The one exception is the guarded
purge (``tuijin audit-purge``), which sets ``tuijin.audit_purge`` for its transaction and may then
delete only rows older than 180 days. TRUNCATE and the privileges of the application role are
handled by ``tuijin db-grants`` (docs/security.md).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION tuijin_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('tuijin.audit_purge', true) = 'on' THEN
        IF TG_TABLE_NAME = 'audit_auditentry' THEN
            IF (to_jsonb(OLD) ->> 'at')::timestamptz > now() - interval '180 days' THEN
                RAISE EXCEPTION 'audit entries younger than 180 days cannot be purged';
            END IF;
        END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only (%% on %%)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""

TABLES = ("audit_auditentry", "audit_auditchainlink")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              "FOR EACH ROW EXECUTE FUNCTION tuijin_audit_append_only()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS tuijin_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
