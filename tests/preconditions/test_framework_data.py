import pytest

from preconditions.models import Framework

pytestmark = pytest.mark.django_db

VERBATIM = {
    "A": "Beneficiary impact over organisation focus",
    "B": "Citizen-centred: from concept to delivery",
    "C": "Issues are acknowledged as systemic and requiring collaboration",
    "D": "Grounded in place but open to new approaches",
    "E": "Trusted partners: understand and adapt to each other's values",
    "F": "Strengths based: utilising the assets of people and place",
    "G": "Distributed leadership: enabling, convening, fluid, no egos",
    "H": "Resilient and risk embracing: safe to fail, able to bounce back and learn",
    "I": "Able to let go: act as a platform for innovation",
}


def test_migration_loads_one_default_framework_with_credit():
    framework = Framework.objects.get(is_default=True)
    assert framework.version == 1
    assert "Collaborate CIC" in framework.source_credit
    assert "Lankelly Chase" in framework.source_credit
    assert "2015" in framework.source_credit


def test_nine_preconditions_with_verbatim_names_in_order():
    framework = Framework.objects.get(is_default=True)
    items = list(framework.preconditions.order_by("order"))
    assert [p.code for p in items] == list("ABCDEFGHI")
    assert {p.code: p.name for p in items} == VERBATIM


def test_vision_has_four_and_behaviours_five():
    framework = Framework.objects.get(is_default=True)
    by_group = {
        g.name: sorted(p.code for p in g.preconditions.all()) for g in framework.groups.all()
    }
    assert by_group == {"Vision": list("ABCD"), "Behaviours": list("EFGHI")}


def test_every_precondition_has_own_words_texts_and_vignette():
    for item in Framework.objects.get(is_default=True).preconditions.all():
        assert item.summary and item.description
        assert item.vignette_situation and item.vignette_in_place and item.vignette_absent


def test_scale_runs_absent_to_embedded():
    framework = Framework.objects.get(is_default=True)
    assert [(lv.value, lv.label) for lv in framework.scale.all()] == [
        (1, "Absent"),
        (2, "Emerging"),
        (3, "Developing"),
        (4, "Established"),
        (5, "Embedded"),
    ]
    assert all(lv.descriptor for lv in framework.scale.all())
