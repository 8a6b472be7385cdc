# SecurityEvent now belongs to audit (audit/0002): state only, the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_alter_user_managers'),
        ('audit', '0002_securityevent'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='SecurityEvent')], database_operations=[]
        ),
    ]
