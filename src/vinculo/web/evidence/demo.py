"""Demo loader: import the packaged GLOTIP export when no release is stored yet."""

from __future__ import annotations

from vinculo.evidence import packaged_export_path

from .models import GlotipRelease


def load_packaged_export() -> list[str]:
    if GlotipRelease.objects.exists():
        return []
    from .actions import import_release

    outcome = import_release(packaged_export_path(), None)
    release = outcome.release
    return [
        f"Global Report evidence: imported {release.source_name} ({release.n_records:,} figures, "
        f"{release.n_countries} countries) as release {release.version}; see /evidence/."
    ]
