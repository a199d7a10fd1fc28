from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings

from fairhearing.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_caseworker_signs_in_and_lands_on_the_queues(client, personas):
    response = client.post("/accounts/login/", {"username": "casey", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_a_wrong_password_is_refused_with_a_clear_message(client, personas):
    response = client.post("/accounts/login/", {"username": "casey", "password": "wrong"})
    assert response.status_code == 200
    assert "not recognised" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "casey", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "casey", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_stored_as_argon2_hashes():
    assert identify_hasher(make_password("a long passphrase here")).algorithm == "argon2"
