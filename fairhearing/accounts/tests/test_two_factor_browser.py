"""Two-factor sign-in in headless Chromium, through the real pages, with an axe-core check of each
page. Uses the browser fixtures of the intake journeys (and skips, as they do, when Chromium or
axe-core is missing locally)."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairhearing.core.testing import PASSWORD
from fairhearing.intake.tests.test_browser import assert_accessible, axe_source, browser, page  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _app_code(key_text: str, *, ahead: int = 0) -> str:
    """What an authenticator app shows for the key as the page printed it."""
    key = b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    return f"{totp(key, t0=-30 * ahead):06d}"


def _sign_in(tab, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{base}/accounts/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    tab.click("button:has-text('Sign in')")


def test_a_caseworker_sets_up_the_app_then_signs_in_with_a_code_and_an_administrator_resets_it(page, live_server, axe_source, personas, settings):  # noqa: F811
    settings.FAIRHEARING_REQUIRE_TWO_FACTOR = True
    base = live_server.url

    _sign_in(page, base, "casey")
    page.wait_for_url(re.compile(r".*/accounts/two-factor/set-up/\?next=.*"))
    assert_accessible(page, axe_source)
    key = page.inner_text("#setup-key").strip()
    assert page.get_attribute("#setup-uri", "href").startswith("otpauth://totp/")
    page.fill("#id_code", "000000" if _app_code(key) != "000000" else "111111")
    page.click("text=Finish set-up")
    assert page.locator(".error-summary").is_visible()
    assert "not accepted" in page.content()
    assert_accessible(page, axe_source)
    TOTPDevice.objects.filter(user=personas.caseworker).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=5))
    page.fill("#id_code", _app_code(key))
    page.click("text=Finish set-up")
    page.wait_for_url(re.compile(r".*/cases/$"))
    assert "Two-factor sign-in is set up" in page.content()

    page.click("button:has-text('Sign out')")
    _sign_in(page, base, "casey")
    page.wait_for_url(re.compile(r".*/accounts/two-factor/\?next=.*"))
    assert_accessible(page, axe_source)
    page.fill("#id_code", _app_code(key, ahead=1))
    page.click("text=Continue")
    page.wait_for_url(re.compile(r".*/cases/$"))
    page.click("button:has-text('Sign out')")

    admin = TOTPDevice.objects.create(user=personas.admin, name="Authenticator app", confirmed=True)
    _sign_in(page, base, "ada")
    page.wait_for_url(re.compile(r".*/accounts/two-factor/\?next=.*"))
    page.fill("#id_code", f"{totp(admin.bin_key):06d}")
    page.click("text=Continue")
    page.goto(f"{base}/accounts/two-factor/staff/")
    assert_accessible(page, axe_source)
    page.click("text=Reset for Casey Worker")
    assert_accessible(page, axe_source)
    page.click("button:has-text('Reset two-factor sign-in')")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, axe_source)
    page.check("#id_cause_0")
    page.check("#id_identity_checked")
    page.click("button:has-text('Reset two-factor sign-in')")
    page.wait_for_url(re.compile(r".*/accounts/two-factor/staff/$"))
    assert "was reset" in page.content()
    assert not TOTPDevice.objects.filter(user=personas.caseworker).exists()
