"""Seed the plan templates (seed 002's nine Bausteine, seed 003's steps, seed 004's
Anregungen) for the seeded programmes of those kinds."""

from django.db import migrations


def forwards(apps, schema_editor):
    from programme_work.plan_texts import seed_plan_templates

    seed_plan_templates(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("programme_work", "0001_initial"),
        ("portal", "0007_programme_operator_required"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
