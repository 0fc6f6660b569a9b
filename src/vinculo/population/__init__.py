"""Population denominators: UN World Population Prospects 2022 by country and year.

The packaged table (``data/wpp2022_population_1990_2030.csv.gz``, CC BY 3.0 IGO, see
``data/ATTRIBUTION.md``) covers 236 countries/areas for 1990-2030. The source is in
thousands of persons; every function here returns persons.
"""

from vinculo.population._rates import RateResult, rate_per_100k
from vinculo.population._table import (
    SOURCE_CITATION,
    AgeBreakdown,
    PopulationRecord,
    PopulationTable,
    countries,
    load_population,
)

__all__ = [
    "SOURCE_CITATION",
    "AgeBreakdown",
    "PopulationRecord",
    "PopulationTable",
    "RateResult",
    "countries",
    "load_population",
    "rate_per_100k",
]
