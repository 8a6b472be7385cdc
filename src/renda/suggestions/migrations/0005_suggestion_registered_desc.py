from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0004_search_index")]

    operations = [
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(fields=["-registered_at", "id"], name="suggestion_registered_desc"),
        ),
    ]
