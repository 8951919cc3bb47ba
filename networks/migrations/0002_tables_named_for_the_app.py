"""Rename the tables taken over from ``workshop`` to this app's names, rows and all.

Renaming a table keeps every row; the members table (the many-to-many) is renamed with
its network table. The two content types move too, so admin history and permissions
follow the models instead of pointing at a model ``workshop`` no longer has.
"""

from django.db import migrations

MODELS = ("network", "networkplace")


def content_types_follow(apps, schema_editor, old="workshop", new="networks"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue  # a fresh database: post_migrate made the new one already
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def content_types_go_back(apps, schema_editor):
    content_types_follow(apps, schema_editor, old="networks", new="workshop")


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_from_workshop"),
        ("workshop", "0005_networks_moved_to_their_own_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="network", table=None),
        migrations.AlterModelTable(name="networkplace", table=None),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
