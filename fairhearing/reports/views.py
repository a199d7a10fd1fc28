"""The public statistics page and its downloads. Anyone may read them; nothing here is personal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from fairhearing.accounts.permissions import can_manage_case, visible_cases
from fairhearing.audit.services import audit_record
from fairhearing.core import clock
from fairhearing.core.actors import user_actor
from fairhearing.core.errors import DomainError
from fairhearing.reports.exports import chart_for, parse_period
from fairhearing.reports.exports import render as render_report
from fairhearing.reports.forms import SummaryForm
from fairhearing.reports.selectors import published_summaries
from fairhearing.reports.services import summary_publish
from fairhearing.reports.statistics import build_report, previous_quarter

CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


def _period(request: HttpRequest) -> tuple[date, date, str]:
    raw_from, raw_to = request.GET.get("from", ""), request.GET.get("to", "")
    if raw_from or raw_to:
        try:
            start, end = parse_period(raw_from, raw_to)
            return start, end, ""
        except ValueError as error:
            start, end = previous_quarter(clock.today())
            return start, end, f"{error}. Showing the last full quarter instead."
    start, end = previous_quarter(clock.today())
    return start, end, ""


@login_not_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    start, end, error = _period(request)
    report = build_report(start, end)
    charts = [(table, chart_for(table)) for table in report.tables]
    return render(request, "reports/statistics.html", {
        "report": report, "charts": charts, "error": error, "summaries": published_summaries(),
        "query": f"from={start.isoformat()}&to={end.isoformat()}",
        "stage_times": report.measures["stage_times"],
    })


@login_not_required
def statistics_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404(f"No download in format {fmt!r}; use json or csv.")
    start, end, error = _period(request)
    if error:
        return HttpResponse(error + "\n", status=400, content_type="text/plain; charset=utf-8")
    body = render_report(build_report(start, end), fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="statistics-{start}-{end}.{fmt}"'
    return response


def summary_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A caseworker writes the anonymised summary of a closed case for the statistics page."""
    case = get_object_or_404(visible_cases(request.user), public_id=public_id)  # type: ignore[arg-type]
    if not can_manage_case(request.user, case):  # type: ignore[arg-type]
        raise Http404("No such case")
    audit_record(actor=user_actor(request.user), action="case.viewed", subject=f"case:{case.public_id}",  # type: ignore[arg-type]
                 payload={"case": case.reference, "page": "summary"})
    form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary_publish(actor=user_actor(request.user), case=case, text=form.cleaned_data["text"])  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error("text" if error.field == "text" else None, error.message)
        else:
            messages.success(request, "The summary is published on the statistics page.")
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "reports/summary_form.html", {"case": case, "form": form}, status=400 if form.errors else 200)
