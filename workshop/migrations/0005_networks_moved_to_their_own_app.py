"""Networks moved to the ``networks`` app (decision 0083): forget them here, keep the tables.

Only the migration state changes; ``networks.0001`` has already taken the tables over, rows
and all, and ``networks.0002`` renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workshop", "0004_free_text_limits"),
        ("networks", "0001_from_workshop"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="networkplace", name="network"),
                migrations.RemoveField(model_name="networkplace", name="consented_by"),
                migrations.RemoveField(model_name="networkplace", name="place"),
                migrations.DeleteModel(name="Network"),
                migrations.DeleteModel(name="NetworkPlace"),
            ],
            database_operations=[],
        )
    ]
