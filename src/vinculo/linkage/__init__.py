"""Record linkage: the same victim across agencies' lists, with and without sharing identities.

(linkage-base: the public API is assembled at integration from the modules below.)
"""

from vinculo.linkage.model import LinkResult, Person, ScoredPair, Source

__all__ = ["LinkResult", "Person", "ScoredPair", "Source"]
