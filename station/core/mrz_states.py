"""The codes an MRZ may give as issuing state or nationality.

ISO 3166-1 alpha-3 (from the `iso3166` package) and the codes Doc 9303 part 3
adds. The reader settles a doubtful state glyph only on one of these.
"""

from __future__ import annotations

from iso3166 import countries_by_alpha3

# Doc 9303 part 3, 5: the codes an issuing state or nationality may hold besides
# ISO 3166-1's: Germany's D, British subjects, the UN and other organisations,
# stateless persons and refugees, Kosovo, the EU, and the specimens' Utopia, and
# the Netherlands Antilles and the Neutral Zone, which Doc 9303 still lists.
_DOC9303_CODES = frozenset({
    "D<<", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XBA", "XIM", "XCC", "XCE",
    "XCO", "XDC", "XEC", "XES", "XMP", "XOM", "XPO", "XXA", "XXB", "XXC", "XXX", "EUE", "RKS",
    "UTO", "ANT", "NTZ",
})
KNOWN_STATES = frozenset(countries_by_alpha3) | _DOC9303_CODES
