"""Text blocks per programme (issue 14).

- The DSEE voucher and the Virtuelle Begleitung were seeded with the seed 002 agreement's
  blocks; they now have letters of their own. Blocks still equal to the seed 002 defaults are
  removed there (edited ones stay, and are ignored by the new letters).
- The FüAk's accompanied process ("integration-durch-be") gets the seed 002 blocks, with the
  short name the agreement uses for the operator: „Führungsakademie“.

Reversing removes only the blocks this migration added."""

from django.db import migrations

FUEAK_PROCESS = "integration-durch-be"


def forwards(apps, schema_editor):
    from agreements.texts import default_blocks

    Programme = apps.get_model("portal", "Programme")
    Block = apps.get_model("agreements", "AgreementTextBlock")
    seed_002 = default_blocks("begleitprozess")
    for programme in Programme.objects.filter(kind__in=("prozessbegleitung", "virtuell")):
        for key, title, body, _order in seed_002:
            Block.objects.filter(programme=programme, key=key, title=title, body=body).delete()
    for programme in Programme.objects.filter(slug=FUEAK_PROCESS):
        for key, title, body, order in default_blocks("begleitprozess"):
            if key == "kurzname-programmbuero":
                body = "Führungsakademie"
            Block.objects.get_or_create(
                programme=programme, key=key, defaults={"title": title, "body": body, "order": order}
            )


def backwards(apps, schema_editor):
    from agreements.texts import default_blocks

    Programme = apps.get_model("portal", "Programme")
    Block = apps.get_model("agreements", "AgreementTextBlock")
    for programme in Programme.objects.filter(slug=FUEAK_PROCESS):
        keys = [key for key, *_ in default_blocks("begleitprozess")]
        Block.objects.filter(programme=programme, key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_proof_of_use"),
        ("portal", "0006_seed_operators"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
