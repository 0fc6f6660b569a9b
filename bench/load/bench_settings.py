"""Settings of the load benchmark: the production settings, served over plain HTTP on the loopback.

Only what TLS would change differs: the benchmark talks to gunicorn directly on 127.0.0.1, so cookies
cannot be marked Secure (a client does not send a Secure cookie over http://) and there is no redirect
to https. Everything else (database, cache, sessions, middleware, templates, logging) is production's.
"""

from vinculo.web.settings.prod import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
