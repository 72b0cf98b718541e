# ExportJob now lives in the reports app (reports.0001 takes over the same table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0003_export_job'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ExportJob')],
            database_operations=[],
        ),
    ]
