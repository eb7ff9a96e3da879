"""The reference validators the validator tests compare against.

jsonschema-rs follows ECMA-262 for `pattern`. jsonschema (Python) uses Python's `re`, where `\\d` matches '١'
and `$` matches before a final newline, so `EcmaDraft7` is jsonschema's Draft7Validator with `pattern`
evaluated by ECMA-262 rules (the translation is itself checked against node's RegExp in test_validator_ecma).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema

from sosmeta.generators.validator.ecma import compile_ecma


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    if validator.is_type(instance, "string") and compile_ecma(pattern).search(instance) is None:
        yield jsonschema.ValidationError(f"does not match {pattern!r}")


EcmaDraft7 = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _ecma_pattern})
