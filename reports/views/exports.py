"""Downloads of a round: the PDF report, the comparison PDF and the raw-data exports.

Every member of the place may download the round's PDF report, the board paper (decision
0032); facilitators and leads also the comparison PDF, the export page and the summary, where
board members get a 403. Anyone outside the place gets a 404 (``places.access.get_membership``). Rounds are
looked up within the place, so another place's round id is a 404 too. The raw data (one row
per person and precondition, with the partner's name) is for leads only, whatever the round's
confidentiality (docs/confidentiality.md); only they may add respondents' names and emails,
and each such export is recorded in the activity log.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from assessments.models import Round
from places.access import EVERYONE, FACILITATORS_AND_LEADS, LEADS, get_membership, object_of_place
from places.models import Membership, Role
from places.services import activity_record
from reports import exports, pdf
from reports.forms import IdentityExportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round_for(
    request: HttpRequest, slug: str, round_id: int, roles=FACILITATORS_AND_LEADS
) -> tuple[Membership, Round]:
    membership = get_membership(request.user, slug, roles)
    round_ = object_of_place(
        Round.objects.select_related("framework"), membership.place, pk=round_id
    )
    return membership, round_


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _include_identity(request: HttpRequest, membership: Membership, round_: Round) -> bool:
    """True when a lead asked for names and emails; a facilitator asking is refused."""
    if request.GET.get("identify") != "1":
        return False
    if membership.role != Role.LEAD:
        raise PermissionDenied("Only partnership leads can export names and emails.")
    activity_record(
        place=round_.place,
        actor=request.user,
        verb="export-identified",
        description=f"Exported the ratings of {round_.name} with names and emails.",
    )
    return True


@require_GET
@login_required
def round_report(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    # Board members too: the PDF shows what their dashboard shows (the shared audience of
    # reports.aggregation), so it is the paper they take to the board.
    membership, round_ = _round_for(request, slug, round_id, EVERYONE)
    body = pdf.round_report_pdf(round_, place=membership.place)
    return _download(
        HttpResponse(body, content_type="application/pdf"), pdf.report_filename(round_)
    )


@require_GET
@login_required
def comparison_report(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, FACILITATORS_AND_LEADS)
    body = pdf.comparison_pdf(membership.place)
    return _download(
        HttpResponse(body, content_type="application/pdf"),
        pdf.comparison_filename(membership.place),
    )


@require_GET
@login_required
def export_page(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership, round_ = _round_for(request, slug, round_id)
    return render(
        request,
        "reports/export.html",
        {
            "place": round_.place,
            "round": round_,
            "identity_form": IdentityExportForm(),
            "membership": membership,
            "is_lead": membership.role == Role.LEAD,
        },
    )


@require_GET
@login_required
def ratings_csv(request: HttpRequest, slug: str, round_id: int) -> StreamingHttpResponse:
    membership, round_ = _round_for(request, slug, round_id, LEADS)
    identify = _include_identity(request, membership, round_)
    response = StreamingHttpResponse(
        exports.ratings_csv(round_, include_identity=identify),
        content_type="text/csv; charset=utf-8",
    )
    return _download(response, exports.export_filename(round_, "ratings", "csv"))


@require_GET
@login_required
def ratings_xlsx(request: HttpRequest, slug: str, round_id: int) -> StreamingHttpResponse:
    membership, round_ = _round_for(request, slug, round_id, LEADS)
    identify = _include_identity(request, membership, round_)
    response = StreamingHttpResponse(
        exports.ratings_xlsx(round_, include_identity=identify), content_type=XLSX
    )
    return _download(response, exports.export_filename(round_, "ratings", "xlsx"))


@require_GET
@login_required
def summary_csv(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership, round_ = _round_for(request, slug, round_id)
    body = exports.summary_csv(round_, place=membership.place)
    return _download(
        HttpResponse(body, content_type="text/csv; charset=utf-8"),
        exports.export_filename(round_, "summary", "csv"),
    )
