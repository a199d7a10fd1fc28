"""The API's URLs. Every view is exempt from the login redirect: the API answers for itself
(a token, or the public endpoints' reference and receipt code), with problem details. Every view
caps uploaded files before the body is read, as the web forms do."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver

from fairhearing.api.api import api
from fairhearing.api.uploads import with_upload_limit


def _public(patterns: list[Any]) -> list[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(with_upload_limit(pattern.callback))
        elif isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
    return patterns


_patterns, _app_name, namespace = api.urls
# Included by module path, so the namespace ninja reverses ("api") is the app name.
app_name = namespace
urlpatterns = _public(list(_patterns))
