"""Plain scale words for the easy-read form (decision 0025).

Filled in for every version of the default framework (the nine) where still empty. The words
follow the easy-read descriptors of migration 0003 ("I see this sometimes." → "Sometimes"), so
an answer means the same in both versions. The texts live here so that later edits elsewhere
never change what this did.
"""

from django.db import migrations, models

FRAMEWORK_NAME = "The nine preconditions for systems change"

EASY_LABELS = {1: "Not at all", 2: "A little", 3: "Sometimes", 4: "Mostly", 5: "Always"}


def load(apps, schema_editor):
    ScaleLevel = apps.get_model("preconditions", "ScaleLevel")
    for value, label in EASY_LABELS.items():
        ScaleLevel.objects.filter(
            framework__name=FRAMEWORK_NAME, value=value, easy_read_label=""
        ).update(easy_read_label=label)


class Migration(migrations.Migration):
    dependencies = [("preconditions", "0005_free_text_limits")]

    operations = [
        migrations.AddField(
            model_name="scalelevel",
            name="easy_read_label",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The level in plain words for the easy-read form, for example 'Sometimes' "
                    "(decision 0025); empty uses the label."
                ),
                max_length=40,
                verbose_name="easy-read label",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
