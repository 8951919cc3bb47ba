import pytest
from django.core.management import CommandError, call_command

from assessments.models import RoundState
from reports import pdf
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db


def test_command_writes_the_latest_rounds_report(tmp_path, monkeypatch):
    def fake_render(html, **kw):
        return b"%PDF-" + (b"First" if "First" in html else b"other")

    monkeypatch.setattr(pdf, "render_pdf", fake_render)
    older = RoundFactory(name="First", state=RoundState.CLOSED)
    RoundFactory(place=older.place, name="Not yet", state=RoundState.DRAFT)
    out = tmp_path / "report.pdf"
    call_command("report_pdf", older.place.slug, "-o", str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert out.read_bytes() == b"%PDF-First"  # the draft round is not the latest report


def test_command_refuses_an_unknown_place_or_round():
    round_ = RoundFactory()
    with pytest.raises(CommandError):
        call_command("report_pdf", "nowhere")
    with pytest.raises(CommandError):
        call_command("report_pdf", round_.place.slug, "--round", "No such round")
