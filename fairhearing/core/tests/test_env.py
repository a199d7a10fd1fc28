from __future__ import annotations

from pathlib import Path

import pytest

from fairhearing.core.env import (
    ConfigurationError,
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("False", False), ("0", False), ("yes", True), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("DEBUG", True, {"DEBUG": raw}) is expected


def test_env_bool_rejects_anything_else_and_names_the_variable():
    with pytest.raises(ConfigurationError, match=r"DEBUG: 'Flase' is not a yes/no value. Use one of"):
        env_bool("DEBUG", False, {"DEBUG": "Flase"})


def test_env_int_names_the_variable_and_the_fix():
    with pytest.raises(ConfigurationError, match="FAIRHEARING_LOGIN_FAILURE_LIMIT: 'five' is not a whole number"):
        env_int("FAIRHEARING_LOGIN_FAILURE_LIMIT", 5, {"FAIRHEARING_LOGIN_FAILURE_LIMIT": "five"})
    with pytest.raises(ConfigurationError, match="below the minimum 1"):
        env_int("FAIRHEARING_LOGIN_FAILURE_LIMIT", 5, {"FAIRHEARING_LOGIN_FAILURE_LIMIT": "0"}, minimum=1)


def test_env_list_splits_and_refuses_an_empty_list():
    assert env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": "a.org, b.org"}) == ["a.org", "b.org"]
    with pytest.raises(ConfigurationError, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": " , "})


def test_a_sqlite_url_gives_a_wal_database_relative_to_the_project():
    config = database_from_url("sqlite:///var/x.sqlite3", base_dir=Path("/srv/app"))
    assert config["NAME"] == "/srv/app/var/x.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]  # type: ignore[index]


def test_a_postgres_url_is_split_into_its_parts():
    config = database_from_url("postgres://user:p%40ss@db.internal:5433/cases?sslmode=require", base_dir=Path("/"))
    assert (config["ENGINE"], config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "django.db.backends.postgresql", "cases", "user", "p@ss", "db.internal", "5433")
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host:5432/", "sqlite:///", "nonsense"])
def test_a_bad_database_url_names_the_variable(url):
    with pytest.raises(ConfigurationError, match=r"^DATABASE_URL: "):
        database_from_url(url, base_dir=Path("/"))


def test_email_urls_choose_the_backend():
    assert email_from_url("console:").backend.endswith("console.EmailBackend")
    smtp = email_from_url("submission://me:secret@mail.example.org:587")
    assert (smtp.host, smtp.port, smtp.user, smtp.password, smtp.use_tls) == ("mail.example.org", 587, "me", "secret", True)
    with pytest.raises(ConfigurationError, match="EMAIL_URL"):
        email_from_url("carrier-pigeon://loft")


def test_a_missing_secret_key_with_debug_off_is_a_system_check_error(settings):
    from fairhearing.core.checks import check_secret_key

    settings.DEBUG = False
    settings.SECRET_KEY = ""
    errors = check_secret_key(None)
    assert [e.id for e in errors] == ["fairhearing.E001"]


def test_a_bad_calendar_setting_is_a_system_check_error(settings):
    from fairhearing.core.checks import check_calendar

    settings.FAIRHEARING_CALENDAR = "XX-NOWHERE"
    assert [e.id for e in check_calendar(None)] == ["fairhearing.E005"]


def test_a_missing_process_file_is_a_system_check_error(settings, tmp_path):
    from fairhearing.core.checks import check_process_file

    settings.FAIRHEARING_PROCESS = tmp_path / "missing.toml"
    assert [e.id for e in check_process_file(None)] == ["fairhearing.E003"]


def test_the_site_stylesheet_is_found_by_the_static_files_finders():
    from django.contrib.staticfiles import finders

    assert finders.find("fairhearing/site.css") is not None
