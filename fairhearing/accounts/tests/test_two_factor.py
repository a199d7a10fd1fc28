"""Two-factor sign-in for staff (FAIRHEARING_REQUIRE_TWO_FACTOR).

The test settings keep it off so the rest of the suite signs personas in with ``force_login``;
here it is turned on with ``override_settings``. Codes are made from each device's key with
``django_otp.oath.totp``, as an authenticator app would.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairhearing.accounts import services
from fairhearing.accounts.checks import check_two_factor_middleware
from fairhearing.audit.models import AuditEvent
from fairhearing.core.errors import DomainError, NotPermitted
from fairhearing.core.testing import PASSWORD, named_urls, open_case
from fairhearing.core.tests.test_url_access import PUBLIC_URLS, PUBLIC_WITH_SECRET, _concrete

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/"
ENROL = "/accounts/two-factor/set-up/"
STAFF = "/accounts/two-factor/staff/"
# Signed-in pages that must open before the check: the check itself, set-up, signing out.
BEFORE_THE_CHECK = {"accounts:two_factor_verify", "accounts:two_factor_enrol", "accounts:logout"}
STAFF_URLS = sorted(
    (name, route) for name, route in named_urls()
    if name not in PUBLIC_URLS | PUBLIC_WITH_SECRET | BEFORE_THE_CHECK and not name.startswith("api:")
)
ROLES = ["caseworker", "panel", "reviewer", "overseer", "organiser", "admin"]


@pytest.fixture
def required():
    with override_settings(FAIRHEARING_REQUIRE_TWO_FACTOR=True):
        yield


def device_for(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def code_for(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The code the app shows now (``ahead`` steps later: a new code the device has not seen)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - ahead * device.step, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    near = {code_for(device, ahead=n) for n in (-1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 999999, 111111)) if c not in near)


def sign_in(client: Client, username: str) -> None:
    """The real sign-in form, with the password only."""
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def checked(client: Client, user) -> TOTPDevice:  # type: ignore[no-untyped-def]
    """Sign ``user`` in and pass the code check, through the pages."""
    device = device_for(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302, response.content.decode()[:500]
    return device


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def backdate_failure(device: TOTPDevice, seconds: int = 3600) -> None:
    """Let the throttling wait after a wrong code pass, without sleeping."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(seconds=seconds))


# -- every staff page waits for the check -------------------------------------------------------


def test_the_walk_covers_the_staff_pages_it_should():
    names = {name for name, _ in STAFF_URLS}
    assert {"cases:queues", "cases:detail", "audit:dashboard", "decisions:interests", "accounts:two_factor_staff"} <= names
    assert len(names) > 30


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize(("name", "route"), STAFF_URLS)
def test_a_password_only_session_is_sent_to_the_code_check_from_every_staff_page(client, personas, name, route):
    device_for(personas.caseworker)
    client.force_login(personas.caseworker)
    path = _concrete(route, str(uuid.uuid4()))
    response = client.get(path)
    assert response.status_code == 302, f"{name} answered {response.status_code} before the code check"
    assert response["Location"] == f"{VERIFY}?next={quote(path)}"


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("role", ROLES)
def test_every_role_without_a_device_is_sent_to_set_one_up(client, personas, role):
    sign_in(client, getattr(personas, role).username)
    for path in ("/cases/", "/conduct/", STAFF):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{ENROL}?next={quote(path)}"


@pytest.mark.usefixtures("required")
def test_an_action_posted_before_the_check_is_not_carried_out(client, personas):
    case = open_case(personas)
    device_for(personas.caseworker)
    sign_in(client, "casey")
    response = client.post(f"/cases/{case.public_id}/note/", {"text": "A note that must not be saved."})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    from fairhearing.cases.models import Note

    assert not Note.objects.exists() and not AuditEvent.objects.filter(action="case.note_added").exists()


@pytest.mark.usefixtures("required")
def test_after_the_password_the_code_check_returns_to_the_page_first_asked_for(client, personas):
    device = device_for(personas.caseworker)
    asked = client.get("/cases/?queue=new")
    assert asked["Location"].startswith("/accounts/login/")
    signed_in = client.post(asked["Location"], {"username": "casey", "password": PASSWORD, "next": "/cases/?queue=new"})
    assert signed_in["Location"] == "/cases/?queue=new"
    to_check = client.get(signed_in["Location"])
    assert to_check["Location"] == f"{VERIFY}?next={quote('/cases/?queue=new')}"
    page = client.get(to_check["Location"])
    assert page.status_code == 200 and "Enter your sign-in code" in page.content.decode()
    assert 'value="/cases/?queue=new"' in page.content.decode()
    session_before = client.session.session_key
    done = client.post(VERIFY, {"code": code_for(device), "next": "/cases/?queue=new"})
    assert done.status_code == 302 and done["Location"] == "/cases/?queue=new"
    assert client.get("/cases/?queue=new").status_code == 200
    assert client.session.session_key != session_before, "the session key must change once the check is passed"
    [event] = events("two_factor.verified")
    assert event.subject == f"user:{personas.caseworker.public_id}" and str(personas.caseworker.public_id) in event.actor


@pytest.mark.usefixtures("required")
def test_a_next_address_on_another_site_is_ignored(client, personas):
    device = device_for(personas.caseworker)
    client.force_login(personas.caseworker)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://elsewhere.example/steal"})
    assert response["Location"] == "/cases/"


@pytest.mark.usefixtures("required")
def test_the_check_holds_for_the_session_only(client, personas):
    checked(client, personas.caseworker)
    assert client.get("/cases/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, "casey")
    assert client.get("/cases/")["Location"].startswith(VERIFY)


@pytest.mark.usefixtures("required")
def test_someone_who_cannot_give_a_code_can_still_sign_out(client, personas):
    device_for(personas.caseworker)
    sign_in(client, "casey")
    page = client.get(VERIFY).content.decode()
    assert 'action="/accounts/logout/"' in page and 'href="/cases/"' not in page, "no staff menu before the check"
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


# -- codes: wrong, right, throttled ---------------------------------------------------------------


@pytest.mark.usefixtures("required")
def test_a_wrong_code_is_refused_with_a_message_and_recorded(client, personas):
    device = device_for(personas.caseworker)
    sign_in(client, "casey")
    response = client.post(VERIFY, {"code": wrong_code(device)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "That code was not accepted" in body and 'href="#id_code"' in body
    assert client.get("/cases/")["Location"].startswith(VERIFY)
    [event] = events("two_factor.failed")
    assert json.loads(event.payload) == {"stage": "sign_in", "failures": 1}
    assert not events("two_factor.verified")


@pytest.mark.usefixtures("required")
def test_a_right_code_after_a_wrong_one_lets_them_in_once_the_short_wait_is_over(client, personas):
    device = device_for(personas.caseworker)
    sign_in(client, "casey")
    client.post(VERIFY, {"code": wrong_code(device)})
    backdate_failure(device, seconds=2)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and device.last_used_at is not None


@pytest.mark.usefixtures("required")
def test_a_code_works_only_once(client, personas):
    device = device_for(personas.caseworker)
    used = code_for(device)
    client.force_login(personas.caseworker)
    assert client.post(VERIFY, {"code": used}).status_code == 302
    other = Client()
    other.force_login(personas.caseworker)
    replay = other.post(VERIFY, {"code": used})
    assert replay.status_code == 200 and "not accepted" in replay.content.decode()


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize(("typed", "accepted"), [("12345", False), ("abcdef", False), ("1234567", False), ("", False), ("SPACED", True)])
def test_a_code_that_is_not_six_digits_is_explained_and_not_counted(client, personas, typed, accepted):
    device = device_for(personas.caseworker)
    sign_in(client, "casey")
    if typed == "SPACED":
        code = code_for(device)
        typed = f" {code[:3]} {code[3:]} "
    response = client.post(VERIFY, {"code": typed})
    if accepted:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert "6-digit code" in response.content.decode() or "The code is 6 digits" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and not events("two_factor.failed")


@pytest.mark.usefixtures("required")
def test_a_second_try_straight_after_a_wrong_code_must_wait_and_is_not_counted(client, personas):
    device = device_for(personas.caseworker)
    sign_in(client, "casey")
    client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 429
    assert "wait" in response.content.decode().lower()
    assert client.get("/cases/")["Location"].startswith(VERIFY)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert len(events("two_factor.failed")) == 1


@pytest.mark.usefixtures("required")
def test_repeated_wrong_codes_double_the_wait_and_then_even_the_right_code_is_refused(client, personas):
    device = device_for(personas.caseworker)
    sign_in(client, "casey")
    for attempt in range(1, 6):
        response = client.post(VERIFY, {"code": wrong_code(device)})
        assert response.status_code == 200 and "not accepted" in response.content.decode()
        if attempt < 5:
            backdate_failure(device)
    body = response.content.decode()
    assert re.search(r"After 5 wrong codes in a row, wait 1[56] seconds", body)
    refused = client.post(VERIFY, {"code": code_for(device)})
    assert refused.status_code == 429
    assert "There have been 5 wrong codes in a row" in refused.content.decode()
    assert client.get("/cases/")["Location"].startswith(VERIFY)
    assert [json.loads(e.payload)["failures"] for e in events("two_factor.failed")] == [1, 2, 3, 4, 5]
    backdate_failure(device, seconds=17)
    assert client.post(VERIFY, {"code": code_for(device)})["Location"] == "/cases/"


# -- set-up --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("required")
def test_a_first_sign_in_sets_up_the_app_with_a_key_shown_as_text_and_as_a_link(client, personas):
    sign_in(client, "casey")
    to_enrol = client.get("/cases/")
    assert to_enrol["Location"] == f"{ENROL}?next={quote('/cases/')}"
    page = client.get(to_enrol["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=personas.caseworker)
    assert not device.confirmed
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(key[i:i + 4] for i in range(0, len(key), 4)) in page
    assert f"otpauth://totp/Example%20Membership%20Organisation%3Acasey?secret={key}" in page
    assert "no QR code" in page
    again = client.get(ENROL).content.decode()
    assert TOTPDevice.objects.filter(user=personas.caseworker).count() == 1 and key[:4] in again
    assert len(events("two_factor.enrolment_started")) == 1

    refused = client.post(ENROL, {"code": wrong_code(device), "next": "/cases/"})
    assert refused.status_code == 200 and "not accepted" in refused.content.decode()
    assert json.loads(events("two_factor.failed")[0].payload)["stage"] == "enrolment"
    backdate_failure(device)
    done = client.post(ENROL, {"code": code_for(device), "next": "/cases/"})
    assert done.status_code == 302 and done["Location"] == "/cases/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/cases/").status_code == 200
    assert len(events("two_factor.enrolled")) == 1


@pytest.mark.usefixtures("required")
def test_a_password_alone_cannot_add_a_second_device(client, personas):
    device_for(personas.caseworker)
    sign_in(client, "casey")
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=personas.caseworker).count() == 1
    with pytest.raises(DomainError):
        services.two_factor_enrolment_start(actor=personas.actor("caseworker"))


@pytest.mark.usefixtures("required")
def test_the_code_check_without_a_device_leads_to_set_up(client, personas):
    sign_in(client, "casey")
    assert client.get(VERIFY)["Location"].startswith(ENROL)


# -- reset by an administrator ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["caseworker", "panel", "reviewer", "overseer", "organiser"])
def test_only_an_administrator_may_reset_a_device(personas, role):
    device_for(personas.panel2)
    with pytest.raises(NotPermitted):
        services.two_factor_reset(actor=personas.actor(role), user=personas.panel2, cause="lost_device")
    assert TOTPDevice.objects.filter(user=personas.panel2).exists()
    assert not events("two_factor.reset")


def test_an_administrators_reset_removes_every_device_and_is_audited(personas):
    device_for(personas.caseworker)
    device_for(personas.caseworker, confirmed=False)
    assert services.two_factor_reset(actor=personas.actor("admin"), user=personas.caseworker, cause="lost_device") == 2
    assert not TOTPDevice.objects.filter(user=personas.caseworker).exists()
    [event] = events("two_factor.reset")
    assert event.subject == f"user:{personas.caseworker.public_id}"
    assert event.actor == f"user:{personas.admin.public_id}"
    assert json.loads(event.payload) == {"cause": "lost_device", "devices": 2}


def test_a_reset_is_refused_for_oneself_without_a_device_or_without_a_known_cause(personas):
    device_for(personas.admin)
    with pytest.raises(NotPermitted, match="own"):
        services.two_factor_reset(actor=personas.actor("admin"), user=personas.admin, cause="lost_device")
    with pytest.raises(DomainError, match="nothing to reset"):
        services.two_factor_reset(actor=personas.actor("admin"), user=personas.panel, cause="lost_device")
    device_for(personas.panel)
    with pytest.raises(DomainError, match="Choose why"):
        services.two_factor_reset(actor=personas.actor("admin"), user=personas.panel, cause="because")
    assert TOTPDevice.objects.count() == 2 and not events("two_factor.reset")


def test_a_deactivated_administrator_cannot_reset(personas):
    personas.admin.is_active = False
    personas.admin.save()
    device_for(personas.caseworker)
    with pytest.raises(NotPermitted):
        services.two_factor_reset(actor=personas.actor("admin"), user=personas.caseworker, cause="lost_device")


@pytest.mark.usefixtures("required")
def test_the_reset_pages_are_for_administrators_only(client, personas):
    target = device_for(personas.panel).user
    checked(client, personas.overseer)
    assert client.get(STAFF).status_code == 403
    reset = f"/accounts/two-factor/staff/{target.public_id}/reset/"
    assert client.get(reset).status_code == 403
    assert client.post(reset, {"cause": "lost_device", "identity_checked": "on"}).status_code == 403
    assert TOTPDevice.objects.filter(user=personas.panel).exists()


@pytest.mark.usefixtures("required")
def test_an_administrator_resets_a_lost_phone_and_the_persons_session_must_set_up_again(client, personas):
    casey = Client()
    checked(casey, personas.caseworker)
    assert casey.get("/cases/").status_code == 200
    checked(client, personas.admin)
    overview = client.get(STAFF).content.decode()
    assert "Casey Worker" in overview and "Set up" in overview and "Another administrator resets yours" in overview
    assert f'href="{STAFF}"' in client.get("/conduct/").content.decode(), "administrators find the page in the menu"
    reset = f"/accounts/two-factor/staff/{personas.caseworker.public_id}/reset/"
    form = client.get(reset)
    assert form.status_code == 200 and 'name="cause"' in form.content.decode()
    unconfirmed = client.post(reset, {"cause": "lost_device"})
    assert unconfirmed.status_code == 200 and "Confirm that you have checked who is asking" in unconfirmed.content.decode()
    assert TOTPDevice.objects.filter(user=personas.caseworker).exists()
    done = client.post(reset, {"cause": "lost_device", "identity_checked": "on"})
    assert done.status_code == 302 and done["Location"] == STAFF
    assert "was reset" in client.get(STAFF).content.decode()
    assert not TOTPDevice.objects.filter(user=personas.caseworker).exists()
    assert casey.get("/cases/")["Location"].startswith(ENROL)
    [event] = events("two_factor.reset")
    assert event.actor == f"user:{personas.admin.public_id}"


@pytest.mark.usefixtures("required")
def test_an_administrator_is_told_they_cannot_reset_their_own(client, personas):
    checked(client, personas.admin)
    reset = f"/accounts/two-factor/staff/{personas.admin.public_id}/reset/"
    assert "You cannot reset your own" in client.get(reset).content.decode()
    response = client.post(reset, {"cause": "lost_device", "identity_checked": "on"})
    assert response.status_code == 200 and "cannot reset your own" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.admin).exists()


def test_the_command_resets_the_last_administrator_and_is_audited(personas):
    device_for(personas.admin)
    out = StringIO()
    call_command("two_factor", "reset", "ada", "--cause", "lost_device", stdout=out)
    assert "Removed 1 two-factor device(s) of ada" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=personas.admin).exists()
    [event] = events("two_factor.reset")
    assert event.actor == "system:two-factor-command"
    with pytest.raises(CommandError, match="nothing to reset"):
        call_command("two_factor", "reset", "ada", "--cause", "lost_device")
    with pytest.raises(CommandError, match="No user called"):
        call_command("two_factor", "reset", "nobody", "--cause", "lost_device")
    listing = StringIO()
    call_command("two_factor", "list", stdout=listing)
    assert "ada" in listing.getvalue() and "not set up" in listing.getvalue()


# -- what is not affected ---------------------------------------------------------------------------


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("path", ["/", "/complain/", "/status/", "/statistics/", "/healthz"])
def test_public_pages_open_for_a_visitor_and_for_staff_before_the_check(client, personas, path):
    assert client.get(path).status_code == 200
    sign_in(client, "casey")
    assert client.get(path).status_code == 200


@pytest.mark.usefixtures("required")
def test_a_complainant_reports_and_follows_up_without_any_code(client, settings):
    from django.urls import reverse

    from fairhearing.intake.forms import form_started_token

    settings.FAIRHEARING_INTAKE_MIN_FILL_SECONDS = 0
    sent = client.post(reverse("intake:complain"), {
        "complainant_name": "Sam Complainant", "complainant_email": "sam@example.org", "respondent_name": "Jo Bloggs",
        "account": "Jo shouted abuse at the meeting.", "category": "bullying", "consent": "on", "where": "Branch meeting",
        "started": form_started_token(),
    })
    assert sent.status_code == 302 and sent["Location"] == reverse("intake:receipt")
    receipt = client.get(reverse("intake:receipt")).content.decode()
    reference = re.search(r'id="reference">([^<]+)<', receipt).group(1).strip()
    code = re.search(r'id="receipt-code">([^<]+)<', receipt).group(1).strip()
    found = client.post(reverse("intake:lookup"), {"reference": reference, "code": code})
    assert found.status_code == 302
    assert client.get(found["Location"]).status_code == 200


@pytest.mark.usefixtures("required")
def test_api_tokens_are_not_asked_for_a_code(client, personas):
    from fairhearing.api.services import api_token_create
    from fairhearing.core.actors import system_actor

    device_for(personas.caseworker)
    _, token = api_token_create(actor=system_actor("test"), user=personas.caseworker, name="t", scopes=["cases:read"])
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


@override_settings(FAIRHEARING_REQUIRE_TWO_FACTOR=False)
def test_with_the_setting_off_a_password_is_enough_as_before(client, personas):
    device_for(personas.caseworker)
    sign_in(client, "casey")
    assert client.get("/cases/").status_code == 200
    assert not events("two_factor.verified")


@pytest.mark.usefixtures("required")
def test_the_system_check_fails_when_the_setting_is_on_but_nothing_enforces_it(settings):
    assert check_two_factor_middleware() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorRequiredMiddleware")]
    [error] = check_two_factor_middleware()
    assert error.id == "fairhearing.accounts.E001"
    settings.FAIRHEARING_REQUIRE_TWO_FACTOR = False
    assert check_two_factor_middleware() == []


@pytest.mark.parametrize(("environ", "expected"), [
    ({"DEBUG": "false"}, "True"),
    ({"DEBUG": "true"}, "False"),
    ({"DEBUG": "false", "FAIRHEARING_REQUIRE_TWO_FACTOR": "off"}, "False"),
    ({"DEBUG": "true", "FAIRHEARING_REQUIRE_TWO_FACTOR": "yes"}, "True"),
])
def test_the_setting_is_on_unless_debug_or_turned_off(environ, expected):
    result = _read_setting(environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_setting_that_is_not_yes_or_no_stops_start_up_with_the_fix():
    result = _read_setting({"DEBUG": "false", "FAIRHEARING_REQUIRE_TWO_FACTOR": "sometimes"})
    assert result.returncode != 0
    assert "FAIRHEARING_REQUIRE_TWO_FACTOR: 'sometimes' is not a yes/no value" in result.stderr


def _read_setting(environ: dict[str, str]):  # type: ignore[no-untyped-def]
    """The production settings module, read in a fresh interpreter with only ``environ`` set."""
    import os
    import subprocess
    import sys

    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR", "FAIRHEARING_VAR_DIR")}
    env = {**keep, "SECRET_KEY": "x" * 50, **environ}
    code = "import fairhearing.settings as s; print(s.FAIRHEARING_REQUIRE_TWO_FACTOR)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False)
