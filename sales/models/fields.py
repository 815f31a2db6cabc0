"""The column types of money, as the architecture fixes them."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class AmountField(models.DecimalField):
    """An amount of money: NUMERIC(18,2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("default", Decimal("0.00"))
        super().__init__(*args, **kwargs)


class PriceField(models.DecimalField):
    """A unit price: NUMERIC(18,4)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)


class QuantityField(models.DecimalField):
    """A quantity: NUMERIC(15,3)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(*args, **kwargs)


class PercentField(models.DecimalField):
    """A rate in percent, 0–100: NUMERIC(7,4)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("default", Decimal("0"))
        kwargs.setdefault("validators", [MinValueValidator(Decimal(0)),
                                         MaxValueValidator(Decimal(100))])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs
