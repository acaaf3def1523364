"""What a keyboard-mode (wedge) scanner typed, turned back into the code it read.

A USB scanner in keyboard mode does not send characters: it presses the keys
that give each character *on the keyboard layout it is configured for*, and
the laptop turns those keys into characters *with its own layout*. Letters,
digits, space, ``$ % - . /`` sit on the same keys on a US and a Japanese (JIS)
keyboard; the three other characters of the confirmation alphabet (Base45:
``: * +``) do not:

    scanner set to   laptop set to   ':' arrives as   '*' arrives as   '+' arrives as
    US               JIS             '+'              '('              '~'
    JIS              US              "'"              '"'              ':'

Our choice: map back, using the code's own prefix as the probe. Every
confirmation starts ``BS1:`` and ``B S 1`` type the same everywhere, so the
fourth character says which pair of layouts typed it: ``BS1+`` is a US
scanner on a JIS laptop, ``BS1'`` a JIS scanner on a US laptop, ``BS1:`` the
same layout on both. Within each case the mapping is one-to-one (the ':' a
JIS scanner sends as '+' on a US laptop cannot be confused with a real '+',
which arrives as ':' there), so the code is restored exactly and its signature
still checks. A laptop with Caps Lock on turns the capitals into small letters;
the confirmation alphabet has no small letters, so a ``bs1`` code is upper-cased.
Anything that is not a confirmation (a volunteer badge, a chip tag, a bare
entry number) is left as typed: those use letters, digits and '-' only, which
every layout types alike.
"""

from __future__ import annotations

from types import MappingProxyType

from station.core.confirmation import PREFIX

# The characters a confirmation can contain whose key differs between layouts.
_US_SCANNER_ON_JIS = MappingProxyType({"+": ":", "(": "*", "~": "+"})
_JIS_SCANNER_ON_US = MappingProxyType({"'": ":", '"': "*", ":": "+"})
_PROBE = {
    PREFIX[:-1] + "+": _US_SCANNER_ON_JIS,
    PREFIX[:-1] + "'": _JIS_SCANNER_ON_US,
}


def typed_code(text: str) -> str:
    """The code a wedge scanner read, whichever of US/JIS it and the laptop are set to."""
    text = text.strip()
    head = text[: len(PREFIX)]
    if head[:-1].upper() != PREFIX[:-1]:
        return text  # not a confirmation: letters, digits and '-' type alike everywhere
    if text[:1].islower():
        text = text.upper()  # Caps Lock: Base45 has capitals only
        head = text[: len(PREFIX)]
    mapping = _PROBE.get(head)
    if mapping is None:
        return text
    return PREFIX + "".join(mapping.get(char, char) for char in text[len(PREFIX):])
