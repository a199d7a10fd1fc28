"""Settings for the test suite: the real settings with a fixed key, a private var/ and tasks run
in-process, so a test sees the effect of a queued message without a worker."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault("FAIRHEARING_VAR_DIR", tempfile.mkdtemp(prefix="fairhearing-test-"))
os.environ.setdefault("FAIRHEARING_TASK_BACKEND", "immediate")
os.environ.setdefault("FAIRHEARING_SECURE_COOKIES", "false")

from fairhearing.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested separately
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
FAIRHEARING_REQUIRE_TWO_FACTOR = False  # personas sign in with force_login; accounts/tests/test_two_factor.py turns it on

# A file, not shared-cache memory, so tests with real concurrency (threads, a live server) get
# SQLite's ordinary locking with busy_timeout rather than shared-cache table locks.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["FAIRHEARING_VAR_DIR"], "test.sqlite3")}
