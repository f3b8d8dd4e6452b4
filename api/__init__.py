"""The JSON API: one NinjaAPI whose OpenAPI description is generated from the schemas here.

Who may call it is decided before any operation runs, by accounts.access (token, login, public
archive); every operation is marked `api_view` when the URLs are built (api.urls).
"""
