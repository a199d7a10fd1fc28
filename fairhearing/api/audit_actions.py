ACTIONS = {
    "api_token.created": "An API token was created for a user with scopes",
    "api_token.revoked": "An API token was revoked",
}
