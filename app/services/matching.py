"""Matching keys of persons (issue 17): names transliterated to ASCII (anyascii), then keyed by
the domain (domain/matching.py) with the deployment's secret."""

from datetime import date

from anyascii import anyascii

from app.domain.matching import PersonKeys, Probe, person_keys, probe


def keys_of(secret: bytes, given: str, family: str, birth: date | None) -> PersonKeys:
    return person_keys(secret, anyascii(given), anyascii(family), birth)


def probe_of(secret: bytes, given: str, family: str, birth: date | None) -> Probe:
    return probe(secret, anyascii(given), anyascii(family), birth)
