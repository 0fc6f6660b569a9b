"""Safe release of case data: k-anonymised microdata, differentially private statistics and
differentially private synthetic microdata, with a privacy-budget ledger (issue 12).

No Django: the platform's release workflow (vinculo.web) and the ``vinculo release`` commands
call this package. Differentially private mechanisms come from OpenDP, never hand-written noise.

Input tables follow the case data's cell conventions: an empty cell means "no attribute", and a
multi-valued cell joins its values with ``;``.
"""

from __future__ import annotations

__all__: list[str] = []
