"""Request and response shapes of the API (they become the OpenAPI schema), one module per
area: ``public`` (complaints, respondents), ``cases`` (cases, caseworker actions, intake,
statistics, the platform check), ``decisions`` and ``oversight`` (privacy and audit)."""
