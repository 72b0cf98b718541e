import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0006_seed_operators'),
    ]

    operations = [
        migrations.AlterField(
            model_name='programme',
            name='operator',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='portal.operator', verbose_name='Programmträger'),
        ),
    ]
