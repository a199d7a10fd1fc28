"""End-to-end journeys in headless Chromium, with an axe-core check of every public page.

Needs Debian's chromium at /usr/bin/chromium, the playwright package, and axe-core from npm
(found at $AXE_CORE_PATH or <repo>/node_modules/axe-core/axe.min.js). Skips, saying which is
missing, when any is absent locally; CI installs all three.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest

from fairhearing.intake.tests.helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[3]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_path() -> Path | None:
    for candidate in (os.environ.get("AXE_CORE_PATH"), REPO / "node_modules" / "axe-core" / "axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (.venv/bin/pip install playwright)")
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, settings):
    settings.FAIRHEARING_INTAKE_MIN_FILL_SECONDS = 0
    # CSP is bypassed only so the test can inject axe-core; the pages themselves run no script.
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def axe_source():
    path = _axe_path()
    if path is None:
        pytest.skip("axe-core is not installed: npm install --no-save axe-core (or set AXE_CORE_PATH)")
    return path.read_text()


def assert_accessible(page, axe_source: str) -> None:
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    problems = [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']]})" for v in result["violations"]]
    assert problems == [], f"{page.url}: " + "; ".join(problems)


def test_a_complainant_files_follows_up_and_reads_the_reply_and_every_page_is_accessible(page, live_server, axe_source, tmp_path, personas):
    from fairhearing.cases.models import Complaint
    from fairhearing.intake import services

    page.goto(f"{live_server.url}/complain/")
    assert_accessible(page, axe_source)
    page.click("text=Send complaint")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, axe_source)
    page.fill("#id_complainant_name", "Sam Complainant")
    page.fill("#id_complainant_email", "sam@example.org")
    page.fill("#id_respondent_name", "Jo Bloggs")
    page.check("#id_category_0")
    page.fill("#id_account", "At the March branch meeting Jo made antisemitic remarks.")
    page.fill("#id_where", "Branch meeting")
    evidence = tmp_path / "minutes.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("#id_files", str(evidence))
    page.check("#id_consent")
    page.click("text=Send complaint")
    page.wait_for_url(re.compile(r".*/complain/receipt/$"))
    assert_accessible(page, axe_source)
    reference = page.inner_text("#reference").strip()
    code = page.inner_text("#receipt-code").strip()
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.case is not None and complaint.evidence.count() == 1

    page.goto(f"{live_server.url}/status/")
    assert_accessible(page, axe_source)
    page.fill("#id_reference", reference)
    page.fill("#id_code", "WRONG-WRONG-WRONG")
    page.click("text=Show my complaint")
    assert "do not match" in page.content()
    assert_accessible(page, axe_source)
    page.fill("#id_code", code)
    page.click("text=Show my complaint")
    page.wait_for_url(re.compile(r".*/status/[0-9a-f-]+/$"))
    assert page.inner_text("#stage").strip() == "Received"
    assert_accessible(page, axe_source)
    page.fill("#id_text", "Has anyone looked at this yet?")
    page.click("text=Send message")
    assert "Has anyone looked at this yet?" in page.content()
    services.complaint_reply(actor=personas.actor("caseworker"), complaint=complaint, text="Yes, a caseworker is assessing it.")
    page.reload()
    assert "Yes, a caseworker is assessing it." in page.content()


def test_a_respondent_replies_and_altered_or_expired_links_are_refused_clearly(page, live_server, axe_source):
    from fairhearing.cases.models import Party
    from fairhearing.intake import services
    from fairhearing.intake.models import RespondentLink, RespondentReply
    from fairhearing.intake.tests.helpers import submit, upload

    result = submit(files=[upload("minutes.pdf")])
    party = Party.objects.get(case=result.case, kind="respondent")
    url = services.respondent_link_issue(case=result.case, party=party)
    path = "/" + url.split("/", 3)[3]
    page.goto(live_server.url + path)
    assert "the allegations against you" in page.content() and "minutes.pdf" in page.content()
    assert_accessible(page, axe_source)
    page.click("text=Send reply")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, axe_source)
    page.fill("#id_text", "I deny the allegation; I was not at that meeting.")
    page.click("text=Send reply")
    assert "Your reply has been received" in page.content()
    assert RespondentReply.objects.filter(party=party).count() == 1

    page.goto(live_server.url + path[:-3] + "zz/")
    assert "This link is not recognised" in page.content()
    assert_accessible(page, axe_source)
    RespondentLink.objects.filter(party=party).update(expires_at=result.complaint.received_at - timedelta(days=1))
    page.goto(live_server.url + path)
    assert "This link has expired" in page.content()
