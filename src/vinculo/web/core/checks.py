"""Deployment checks of our own, run by ``manage.py check --deploy`` beside Django's.

Django checks HTTPS, cookies and HSTS but not the Content-Security-Policy. These checks warn when the
policy is off, only reported, or loosened (inline script or style, ``eval``, any origin), so that the
``check --deploy --fail-level WARNING`` gate in CI and at installation catches it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

LOOSE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:", "data:")
REQUIRED = (
    "default-src",
    "script-src",
    "style-src",
    "object-src",
    "base-uri",
    "frame-ancestors",
    "form-action",
)


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    policy: dict[str, Any] = dict(getattr(settings, "SECURE_CSP", {}) or {})
    if not policy:
        if getattr(settings, "SECURE_CSP_REPORT_ONLY", None):
            return [
                Warning(
                    "The Content-Security-Policy is only reported (VINCULO_CSP_REPORT_ONLY is on), not enforced.",
                    hint="Unset VINCULO_CSP_REPORT_ONLY once the reports show no violation.",
                    id="vinculo.W001",
                )
            ]
        return [
            Warning(
                "No Content-Security-Policy is sent (SECURE_CSP is empty).",
                hint="Keep the policy of vinculo.web.settings.base (docs/security/web.md).",
                id="vinculo.W002",
            )
        ]
    messages: list[CheckMessage] = []
    missing = [d for d in REQUIRED if d not in policy]
    if missing:
        messages.append(
            Warning(
                f"The Content-Security-Policy lacks {', '.join(missing)}.",
                hint="Keep the policy of vinculo.web.settings.base (docs/security/web.md).",
                id="vinculo.W003",
            )
        )
    for directive, values in policy.items():
        if directive == "img-src":
            continue  # data: images (icons in style sheets) cannot run code
        values = [values] if isinstance(values, str) else list(values or ())
        loose = [str(v) for v in values if str(v) in LOOSE_SOURCES]
        if loose:
            messages.append(
                Warning(
                    f"The Content-Security-Policy allows {' '.join(loose)} in {directive}.",
                    hint="Pages carry no inline script or style; serve scripts and styles as static files.",
                    id="vinculo.W004",
                )
            )
    return messages
