"""Validate STIX objects with the OASIS stix2-validator, one process for a whole corpus.

Reads one JSON object per line on stdin and prints one JSON verdict per line on stdout:
{"valid": true|false, "errors": ["..."]}. Runs in the validator's default (non-strict) mode,
where only the specification's MUST requirements are errors and SHOULDs are mere warnings.
Usage: python stix2_validate.py [--strict-types]
"""
import json
import logging
import sys

from stix2validator import ValidationOptions, validate_instance

# The validator logs every "SHOULD" warning; only the verdicts belong on stdout.
logging.disable(logging.CRITICAL)


def main():
    strict_types = "--strict-types" in sys.argv[1:]
    options = ValidationOptions(version="2.1", strict=False, strict_types=strict_types, silent=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = validate_instance(json.loads(line), options)
            verdict = {"valid": bool(result.is_valid), "errors": [str(e) for e in result.errors]}
        except Exception as error:  # the validator raises on objects it cannot even dispatch
            verdict = {"valid": False, "errors": ["exception: %s" % error]}
        sys.stdout.write(json.dumps(verdict) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
