from __future__ import annotations

import hashlib

from django.contrib.auth.hashers import make_password

from fairhearing.intake.receipts import code_matches, hash_code, new_receipt_code, normalise_code


def test_it_stores_the_sha256_of_the_normalised_code():
    code = new_receipt_code()
    assert hash_code(code) == "sha256$" + hashlib.sha256(normalise_code(code).encode()).hexdigest()
    assert hash_code(code.lower().replace("-", " ")) == hash_code(code)


def test_it_accepts_the_code_as_typed_and_refuses_any_other():
    code = new_receipt_code()
    stored = hash_code(code)
    assert code_matches(code.lower().replace("-", ""), stored)
    assert not code_matches(new_receipt_code(), stored)
    assert not code_matches(code[:-1], stored)


def test_it_still_accepts_a_code_stored_with_the_password_hasher_by_an_earlier_version():
    code = new_receipt_code()
    stored = make_password(normalise_code(code))
    assert not stored.startswith("sha256$")
    assert code_matches(code, stored)
    assert not code_matches(new_receipt_code(), stored)


def test_it_opens_nothing_for_an_unknown_reference_or_an_erased_hash():
    assert not code_matches(new_receipt_code(), None)
    assert not code_matches(new_receipt_code(), "")
