# Bulletin moved to the bulletins app (issue 13): removed from assessment's migration state only.
# The table ``assessment_bulletin`` and its rows stay; bulletins 0001 owns the model from now on.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0001_initial'),
        ('bulletins', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Bulletin')],
            database_operations=[],
        ),
    ]
