# Operators of the seeds, their programmes (two new ones), and office staff of an existing
# installation attached to every operator (they saw every programme before).

from django.db import migrations


def forwards(apps, schema_editor):
    from portal.seed_data import attach_operators, seed_reference_data

    attach_operators(apps)
    seed_reference_data(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_operators'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
