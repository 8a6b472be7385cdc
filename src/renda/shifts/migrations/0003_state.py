# DutyAssignment's workflow position is called state, as in every other app.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shifts', '0002_dutylog'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='dutyassignment',
            name='shifts_duty_status_cc56d1_idx',
        ),
        migrations.RenameField(
            model_name='dutyassignment',
            old_name='status',
            new_name='state',
        ),
        migrations.AddIndex(
            model_name='dutyassignment',
            index=models.Index(fields=['state', 'shift'], name='shifts_duty_state_79da90_idx'),
        ),
    ]
