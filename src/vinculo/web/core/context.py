"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vinculo import __version__
from vinculo.web.accounts import access


def platform(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "platform_name": settings.PLATFORM_NAME,
        "vinculo_version": __version__,
        "can_read_audit": access.access_can_read_audit(user),
        "can_manage_accounts": access.access_can_manage_accounts(user),
    }
