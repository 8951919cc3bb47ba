"""The respondent's personal-link pages (issue 3 builds them out)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def respond(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "assessments/link_invalid.html", status=404)
