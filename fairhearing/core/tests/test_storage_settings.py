"""Evidence storage and the Redis address as settings: read from the environment, checked at start."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from fairhearing.core.checks import check_evidence_storage
from fairhearing.core.env import ConfigurationError, env_storage, redis_url

DEFAULT = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": "/x"}}


def read(value: str) -> dict[str, object]:
    return env_storage("FAIRHEARING_EVIDENCE_STORAGE", DEFAULT, {"FAIRHEARING_EVIDENCE_STORAGE": value})


def test_an_unset_or_empty_storage_variable_gives_the_default():
    assert env_storage("FAIRHEARING_EVIDENCE_STORAGE", DEFAULT, {}) is DEFAULT
    assert read("  ") is DEFAULT


def test_a_storage_backend_and_its_options_are_read_from_json():
    assert read('{"BACKEND": "django.core.files.storage.InMemoryStorage", "OPTIONS": {"base_url": "/e/"}}') == {
        "BACKEND": "django.core.files.storage.InMemoryStorage", "OPTIONS": {"base_url": "/e/"}}
    assert read('{"BACKEND": "django.core.files.storage.InMemoryStorage"}')["OPTIONS"] == {}


@pytest.mark.parametrize(("value", "problem"), [
    ('{"BACKEND": "x.Y", ', "is not valid JSON"),
    ('["django.core.files.storage.InMemoryStorage"]', "is JSON but not an object (list)"),
    ('{"BACKEND": "django.core.files.storage.InMemoryStorage", "OPTION": {}}', "has unknown keys OPTION"),
    ('{"OPTIONS": {}}', "BACKEND None is not a dotted class path"),
    ('{"BACKEND": "InMemoryStorage"}', "BACKEND 'InMemoryStorage' is not a dotted class path"),
    ('{"BACKEND": "django.core.files.storage.InMemoryStorage", "OPTIONS": "bucket=x"}', "OPTIONS is str, not an object"),
    ('{"BACKEND": "nowhere_to_be_found.backends.S3Storage"}', "the module 'nowhere_to_be_found.backends' of BACKEND"),
])
def test_a_bad_storage_setting_names_the_variable_the_problem_and_the_fix(value, problem):
    with pytest.raises(ConfigurationError) as caught:
        read(value)
    message = str(caught.value)
    assert message.startswith("FAIRHEARING_EVIDENCE_STORAGE: ")
    assert problem in message
    fix = "Install the package that provides it" if "module" in problem else "Give a JSON object such as {"
    assert fix in message


def test_the_evidence_storage_is_the_configured_one_and_files_round_trip(settings):
    from fairhearing.intake.files import evidence_storage

    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    storage = evidence_storage()
    assert type(storage).__name__ == "InMemoryStorage"
    name = storage.save("abc", ContentFile(b"evidence bytes"))
    with storage.open(name, "rb") as handle:
        assert handle.read() == b"evidence bytes"


def test_a_storage_class_that_does_not_exist_fails_the_system_check(settings):
    assert check_evidence_storage(None) == []
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.NoSuchStorage"}}
    errors = check_evidence_storage(None)
    assert [e.id for e in errors] == ["fairhearing.E006"]
    assert "NoSuchStorage" in errors[0].msg


def test_options_the_storage_does_not_accept_fail_the_system_check(settings):
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"bucket_name": "evidence"}}}
    errors = check_evidence_storage(None)
    assert [e.id for e in errors] == ["fairhearing.E006"]
    assert "bucket_name" in errors[0].msg


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.internal:6380/1", "unix:///run/redis.sock"])
def test_redis_addresses_are_accepted(url):
    assert redis_url(url) == url


@pytest.mark.parametrize("url", ["127.0.0.1:6379", "http://redis/0", "redis:///0"])
def test_a_bad_redis_address_names_the_variable(url):
    with pytest.raises(ConfigurationError, match=r"^REDIS_URL: .*Use redis://host:6379/0"):
        redis_url(url)
