"""Every page that shows a case's data writes an access event about that case.

The test walks every URL that takes a case id, opens it as the overseer and as the assigned
caseworker, and for each page that opens requires a new event whose subject is the case. A new
case page added without its read event fails here.
"""

from __future__ import annotations

import re

import pytest

from fairhearing.audit.models import AuditEvent
from fairhearing.core.testing import named_urls, open_case

# Pages that take a case id but show nothing of the case beyond its reference (forms).
NOT_CASE_DATA = {"audit:contact_record"}


CASE_ROUTES = sorted(
    (name, route) for name, route in named_urls()
    if re.search(r"<uuid:[a-z_]*public_id>", route) and route.count("<") == 1 and name not in NOT_CASE_DATA
)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["overseer", "caseworker"])
@pytest.mark.parametrize(("name", "route"), CASE_ROUTES)
def test_each_case_page_that_opens_writes_an_access_event(client, personas, persona, name, route):
    case = open_case(personas)
    client.force_login(getattr(personas, persona))
    path = "/" + re.sub(r"<uuid:[a-z_]+>", str(case.public_id), route)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    response = client.get(path)
    if response.status_code != 200:
        pytest.skip(f"{name} does not answer GET with a page ({response.status_code})")
    new = AuditEvent.objects.filter(seq__gt=before, subject=f"case:{case.public_id}")
    actor = str(getattr(personas, persona).public_id)
    assert any(actor in event.actor for event in new), f"{name} showed case data without an access event"
