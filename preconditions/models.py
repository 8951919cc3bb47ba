"""The framework a round is assessed against: its groups, items and rating scale.

A framework is versioned. Once a round other than a draft uses a version, its
texts are frozen (see ``Framework.is_locked``) and changes go into a new version
made with ``preconditions.services.framework_new_version``, so that what a past
rating referred to never changes under it. See docs/decisions/0003.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from ninefold.text import text_limit

# Item codes go into URLs (…/dashboard/<code>/, …/workshop/<code>/), element ids and form
# field names: a "/" broke every report link of the framework, a quote the respondent form.
ITEM_CODE = RegexValidator(
    r"\A[A-Za-z0-9]{1,8}\Z", "Use up to 8 letters and digits, such as A or B2.", code="item_code"
)


class Framework(models.Model):
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    description = models.TextField(blank=True, **text_limit(5000))
    source_credit = models.TextField(
        **text_limit(1000),
        help_text="Shown wherever the framework is shown: on the about page, reports and PDFs.",
    )
    is_default = models.BooleanField(
        default=False, help_text="Offered first when a lead opens a new round."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="framework_name_version_unique"
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="framework_single_default",
                violation_error_message="Only one framework can be the default.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="framework_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_locked(self) -> bool:
        """True once a round beyond the draft stage uses this version (one query)."""
        if self.pk is None:
            return False
        return self.rounds.exclude(state="draft").exists()


class PreconditionGroup(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, **text_limit(2000))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="group_code_unique"),
            models.UniqueConstraint(fields=["framework", "name"], name="group_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Precondition(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="preconditions")
    group = models.ForeignKey(
        PreconditionGroup, on_delete=models.PROTECT, related_name="preconditions"
    )
    code = models.CharField(
        max_length=8,
        validators=[ITEM_CODE],
        help_text="A short label such as A, B … I: letters and digits only, at most 8.",
    )
    name = models.CharField(max_length=200, help_text="The framework's own name for the item.")
    summary = models.CharField(max_length=400, help_text="One plain-language sentence.")
    easy_read_summary = models.CharField(
        "easy-read summary",
        max_length=300,
        blank=True,
        help_text=(
            "The same idea in short, everyday words, shown on the easy-read form (used by "
            "default for people with lived experience). Left empty, the summary is shown."
        ),
    )
    description = models.TextField(blank=True, **text_limit(5000))
    vignette_situation = models.TextField(
        "situation",
        blank=True,
        **text_limit(1000),
        help_text="Someone using services, and what they face.",
    )
    vignette_in_place = models.TextField(
        "when it is in place",
        blank=True,
        **text_limit(1000),
        help_text="What they experience when it is present.",
    )
    vignette_absent = models.TextField(
        "when it is absent",
        blank=True,
        **text_limit(1000),
        help_text="What they experience when it is missing.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="precondition_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def easy_read_text(self) -> str:
        return self.easy_read_summary or self.summary

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.group_id and self.framework_id and self.group.framework_id != self.framework_id:
            raise ValidationError({"group": "The group must belong to the same framework."})


class ScaleLevel(models.Model):
    """One level of a framework's rating scale. "Don't know" is not a level: it is no score."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scale")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40)
    descriptor = models.CharField(max_length=300)
    easy_read_label = models.CharField(
        "easy-read label",
        max_length=40,
        blank=True,
        help_text=(
            "The level in plain words for the easy-read form, for example 'Sometimes' "
            "(decision 0025); empty uses the label."
        ),
    )
    easy_read_descriptor = models.CharField(
        "easy-read descriptor",
        max_length=150,
        blank=True,
        help_text="A shorter, plainer descriptor for the easy-read form; empty uses the descriptor.",
    )

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="scale_value_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5),
                name="scale_value_1_to_5",
                violation_error_message="Scale levels run from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    @property
    def easy_read_text(self) -> str:
        return self.easy_read_descriptor or self.descriptor

    @property
    def easy_read_name(self) -> str:
        return self.easy_read_label or self.label
