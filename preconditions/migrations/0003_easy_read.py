"""Easy-read texts: a plainer summary per precondition and a shorter descriptor per level.

Filled in for version 1 of the default framework (the nine) with texts written for
Ninefold; they stay editable in the admin until a round locks the version. Empty
texts fall back to the standard ones, so other frameworks work without them.
The texts live here so that later edits elsewhere never change what this did.
"""

from django.db import migrations, models

FRAMEWORK_NAME = "The nine preconditions for systems change"

EASY_SUMMARIES = {
    "A": "Do services care most about what gets better for people, not about themselves?",
    "B": "Do people who use services get a real say in how services are planned and run?",
    "C": "Do services agree that big problems need them all to work together?",
    "D": "Do services build on what is good about this area, and try new ideas too?",
    "E": "Do the organisations trust each other and talk honestly with each other?",
    "F": "Do services see what people and this area are good at, not only their problems?",
    "G": "Is leading shared between many people, not kept by one boss or one organisation?",
    "H": "Is it safe to try something new, and do services learn when things go wrong?",
    "I": "Do councils and big services let others have ideas and take the lead?",
}

EASY_DESCRIPTORS = {
    1: "I do not see this at all.",
    2: "I see a little of this, now and then.",
    3: "I see this sometimes.",
    4: "I see this most of the time.",
    5: "This is always how it works here.",
}


def load(apps, schema_editor):
    Precondition = apps.get_model("preconditions", "Precondition")
    ScaleLevel = apps.get_model("preconditions", "ScaleLevel")
    for code, text in EASY_SUMMARIES.items():
        Precondition.objects.filter(
            framework__name=FRAMEWORK_NAME, framework__version=1, code=code, easy_read_summary=""
        ).update(easy_read_summary=text)
    for value, text in EASY_DESCRIPTORS.items():
        ScaleLevel.objects.filter(
            framework__name=FRAMEWORK_NAME,
            framework__version=1,
            value=value,
            easy_read_descriptor="",
        ).update(easy_read_descriptor=text)


class Migration(migrations.Migration):
    dependencies = [("preconditions", "0002_load_nine_preconditions")]

    operations = [
        migrations.AddField(
            model_name="precondition",
            name="easy_read_summary",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The same idea in short, everyday words, shown on the easy-read form (used "
                    "by default for people with lived experience). Left empty, the summary is "
                    "shown."
                ),
                max_length=300,
                verbose_name="easy-read summary",
            ),
        ),
        migrations.AddField(
            model_name="scalelevel",
            name="easy_read_descriptor",
            field=models.CharField(
                blank=True,
                help_text=(
                    "A shorter, plainer descriptor for the easy-read form; empty uses the "
                    "descriptor."
                ),
                max_length=150,
                verbose_name="easy-read descriptor",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
