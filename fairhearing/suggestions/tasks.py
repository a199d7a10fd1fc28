"""Background screening: one task screens one claimed text."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django_tasks import task

from fairhearing.suggestions import services, sources
from fairhearing.suggestions.models import ScreeningRun

log = logging.getLogger("fairhearing.suggestions")


@task()
def screen_run(run_id: int) -> str:
    """Screen the text a queued run points at and store the result. Safe to run twice.

    The text is read from its source here, not passed through the queue, so no case text sits
    in the task table.
    """
    from fairhearing.screening import screen

    run = ScreeningRun.objects.filter(pk=run_id).first()
    if run is None or run.state != ScreeningRun.State.QUEUED:
        return "already handled"
    source = sources.source_text(run.source_kind, run.source_id)
    if source is None:
        services.screening_fail(run=run, error="the text no longer exists")
        return "source gone"
    try:
        result = screen(source.text)
    except Exception as error:  # recorded on the run and shown on the page
        log.exception("screening run %s failed", run_id)
        services.screening_fail(run=run, error=f"the screening engine failed: {type(error).__name__}")
        return "failed"
    services.screening_record(run=run, text=source.text, result=result)
    return "screened"


def screen_new() -> str:
    """The tick hook: claim unscreened texts and queue one task for each once the claim commits."""
    ids = services.screening_claim()
    for run_id in ids:
        transaction.on_commit(partial(screen_run.enqueue, run_id))
    return f"queued {len(ids)} text{'s' if len(ids) != 1 else ''} for screening"
