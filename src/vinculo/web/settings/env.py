"""Read configuration from the environment, failing at start-up with the name of what is missing."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    """Return the environment variable ``name``; without a default, a missing one stops start-up."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(
                f"Configuration {name!r} is missing. Set the environment variable {name} "
                f"(see the Configuration section of the README)."
            )
        return default
    return value


def env_list(name: str, default: str | None = None) -> list[str]:
    """A comma-separated environment variable as a list of non-empty, stripped items."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Configuration {name!r} must be true or false, not {value!r}.")
