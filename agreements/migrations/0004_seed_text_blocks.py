"""Seed the agreement text blocks of every existing programme from seed 002 (agreements.texts).

Idempotent (get_or_create per programme and key); reversing leaves edited texts alone and
removes only blocks still equal to the defaults."""

from django.db import migrations


def seed(apps, schema_editor):
    from agreements.texts import default_blocks

    Programme = apps.get_model("portal", "Programme")
    AgreementTextBlock = apps.get_model("agreements", "AgreementTextBlock")
    for programme in Programme.objects.all():
        for key, title, body, order in default_blocks(programme.kind):
            AgreementTextBlock.objects.get_or_create(
                programme=programme,
                key=key,
                defaults={"title": title, "body": body, "order": order},
            )


def unseed(apps, schema_editor):
    from agreements.texts import default_blocks

    Programme = apps.get_model("portal", "Programme")
    AgreementTextBlock = apps.get_model("agreements", "AgreementTextBlock")
    for programme in Programme.objects.all():
        for key, title, body, _order in default_blocks(programme.kind):
            AgreementTextBlock.objects.filter(
                programme=programme, key=key, title=title, body=body
            ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_signing_and_regeneration"),
        ("portal", "0002_seed_programmes"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
