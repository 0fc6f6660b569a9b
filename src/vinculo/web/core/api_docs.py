"""The interactive API documentation (Swagger UI) without inline script, for the Content-Security-Policy.

django-ninja's own page keeps Swagger UI's settings in an inline ``<script type="application/json">``
block. This page carries them in a ``data-`` attribute instead and starts Swagger UI from a static file,
so it complies with ``script-src 'self'`` like every other page. The Swagger UI files are the ones
django-ninja ships (``ninja/swagger-ui-bundle.js``, ``ninja/swagger-ui.css``), served as static files.
"""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class PlatformSwagger(Swagger):
    template = "core/api_docs.html"
    # No badge from validator.swagger.io: the policy allows images from our origin only. No deep links:
    # Swagger UI puts each operation's link inside the button that opens it (a link in a button is
    # unreachable for keyboard and screen-reader users, and a target too small to touch).
    default_settings = {**Swagger.default_settings, "validatorUrl": "none", "deepLinking": False}
