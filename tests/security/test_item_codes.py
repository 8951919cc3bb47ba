"""Framework item codes were not validated in the admin: a code with ``/`` made every report and
workshop page of the framework's rounds fail (``NoReverseMatch``), one with ``"`` broke the
respondent form's script, which built a selector by string concatenation. Codes are short
letters and digits, and no script builds a selector from text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import resolve, reverse

from preconditions.models import Framework, Precondition

BAD = ["A/B", 'A"', "A B", "A.", "", "ABCDEFGHI", "<b>", "Ä'"]
GOOD = ["A", "B2", "x9", "ABCDEFGH"]
JS = Path(settings.BASE_DIR) / "static" / "js"


@pytest.fixture
def item_form(admin_user):
    """The framework admin's item form, as a site administrator posts it."""
    framework_admin = admin.site._registry[Framework]
    framework = Framework.objects.get(is_default=True)
    url = reverse("admin:preconditions_framework_change", args=[framework.pk])
    request = RequestFactory().get(url)
    request.user = admin_user
    request.resolver_match = resolve(url)
    inline = next(
        i
        for i in framework_admin.get_inline_instances(request, framework)
        if i.model is Precondition
    )
    form_class = inline.get_formset(request, framework).form
    group = framework.groups.first()

    def form(code: str):
        data = {
            "code": code,
            "order": 99,
            "group": group.pk,
            "name": "A new item",
            "summary": "One plain sentence.",
            "easy_read_summary": "One easy sentence.",
        }
        return form_class(data=data, instance=Precondition(framework=framework))

    return form


@pytest.mark.django_db
@pytest.mark.parametrize("code", BAD)
def test_the_admin_refuses_a_code_that_is_not_short_letters_and_digits(item_form, code):
    form = item_form(code)
    assert not form.is_valid()
    assert "code" in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("code", GOOD)
def test_the_admin_accepts_short_letters_and_digits(item_form, code):
    form = item_form(code)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_the_model_refuses_a_slash_whoever_saves():
    item = Precondition.objects.filter(framework__is_default=True).first()
    item.code = "A/B"
    with pytest.raises(ValidationError, match="letters and digits"):
        item.full_clean()


def test_no_script_builds_a_selector_from_text():
    concatenated = re.compile(r"querySelector(?:All)?\(\s*(?:[^()]*\+|[^'\")\s][^()]*\))")
    found = []
    for path in sorted(JS.glob("*.js")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if concatenated.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "selectors built from text (use data attributes or CSS.escape):\n" + (
        "\n".join(found)
    )
