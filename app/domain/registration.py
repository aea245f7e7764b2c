"""The person's registration number: unique, meaningless, safe to read aloud."""

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread
REGISTRATION_BITS = 50


def registration_number(entropy: int) -> str:
    """``VT-XXXXX-XXXXX`` from 50 random bits.

    Random rather than sequential so that a number reveals neither when a person was registered
    nor how many people an organisation assists.
    """
    if not 0 <= entropy < 1 << REGISTRATION_BITS:
        raise ValueError("entropy must be a 50-bit non-negative integer")
    chars = [_CROCKFORD[(entropy >> shift) & 31] for shift in range(45, -1, -5)]
    return f"VT-{''.join(chars[:5])}-{''.join(chars[5:])}"
