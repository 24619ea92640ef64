# Bulletin moves here from assessment (issue 13). The table ``assessment_bulletin`` already exists
# (made by assessment 0001), so this migration only adds the model to the migration state; no
# table is created and no row is copied. Assessment 0002 removes it from assessment's state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_to_bulletins(apps, schema_editor):
    """Keep the content type (and its permissions) of an existing database: rename, do not duplicate."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="bulletins", model="bulletin").exists():
        ContentType.objects.using(db).filter(app_label="assessment", model="bulletin").update(app_label="bulletins")


def content_type_to_assessment(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="assessment", model="bulletin").exists():
        ContentType.objects.using(db).filter(app_label="bulletins", model="bulletin").update(app_label="assessment")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessment', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('jobs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Bulletin',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('monthly', 'Monthly bulletin'), ('quarterly', 'Quarterly bulletin')], max_length=16)),
                        ('year', models.PositiveSmallIntegerField()),
                        ('month', models.PositiveSmallIntegerField()),
                        ('plan_hash', models.CharField(max_length=64)),
                        ('docx_file', models.CharField(blank=True, max_length=500)),
                        ('xlsx_file', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.job')),
                    ],
                    options={
                        'db_table': 'assessment_bulletin',
                        'ordering': ['-year', '-month', '-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_bulletins, content_type_to_assessment, elidable=True),
    ]
