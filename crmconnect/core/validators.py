"""Field validators for Romanian tax identifiers and bank accounts."""

import re

from django.core.exceptions import ValidationError
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ro import cf

REG_COM_RE = re.compile(r"^(?:[JFC]\d{1,2}/\d{1,6}/\d{4}|[JFC]\d{13})$")


def normalize_ro_tax_id(value):
    """'ro 18547290 ' -> 'RO18547290'; a CUI without prefix stays without it."""
    return cf.compact(value or "")


def validate_ro_tax_id(value):
    """A Romanian CUI/CIF (optionally RO-prefixed) or a CNP, check digit included."""
    if not value:
        return
    try:
        cf.validate(value)
    except InvalidChecksum as exc:
        raise ValidationError(
            "The check digit of this CUI/CIF is wrong; please check the number.", code="checksum"
        ) from exc
    except (InvalidFormat, InvalidLength, StdnumError) as exc:
        raise ValidationError(
            "Enter a valid Romanian CUI/CIF: 2 to 10 digits, optionally prefixed by RO.",
            code="invalid",
        ) from exc


def validate_iban(value):
    if not value:
        return
    try:
        IBAN(value)
    except SchwiftyException as exc:
        raise ValidationError(f"Enter a valid IBAN ({exc}).", code="invalid") from exc


def normalize_iban(value):
    return re.sub(r"\s+", "", value or "").upper()


def validate_reg_com(value):
    if value and not REG_COM_RE.match(value.upper()):
        raise ValidationError(
            "Enter the Trade Register number as J40/1234/2020 or J2020001234409.", code="invalid"
        )
