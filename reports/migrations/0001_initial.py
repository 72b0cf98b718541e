# ExportJob moved from the portal app; the table (portal_exportjob) and its rows stay as they are.

import django.db.models.deletion
import django.utils.timezone
import portal.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0003_export_job'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('report', models.CharField(max_length=20, verbose_name='Bericht')),
                        ('file_format', models.CharField(max_length=4, verbose_name='Format')),
                        ('params', models.JSONField(blank=True, default=dict)),
                        ('status', models.CharField(choices=[('pending', 'wartet'), ('running', 'läuft'), ('done', 'fertig'), ('failed', 'fehlgeschlagen')], default='pending', max_length=10, verbose_name='Status')),
                        ('total_rows', models.PositiveIntegerField(default=0, verbose_name='Zeilen gesamt')),
                        ('rows_written', models.PositiveIntegerField(default=0, verbose_name='Zeilen geschrieben')),
                        ('file', models.FileField(blank=True, upload_to=portal.models.export_upload_to, verbose_name='Datei')),
                        ('error', models.TextField(blank=True, verbose_name='Fehler')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='angelegt am')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='fertig am')),
                        ('expires_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='gelöscht ab')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='export_jobs', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'Export',
                        'verbose_name_plural': 'Exporte',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'portal_exportjob',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
