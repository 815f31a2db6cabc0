"""Writing a document's lines and the totals stored on its header, for every document kind."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from crmconnect.core.money import Line, document_totals

LINE_KEYS = ("item", "description", "quantity", "unit", "unit_price", "discount_percent",
             "vat_rate", "vat_category", "price_source")


def _checked(values, number):
    line = {key: values.get(key) for key in LINE_KEYS}
    line["description"] = (line["description"] or (str(line["item"].name) if line["item"]
                                                   else "")).strip()
    line["unit"] = line["unit"] or ""
    line["vat_category"] = line["vat_category"] or "S"
    line["price_source"] = (line["price_source"] or "")[:160]
    for key in ("quantity", "unit_price", "discount_percent", "vat_rate"):
        line[key] = Decimal(line[key] if line[key] is not None else 0)
    problems = []
    if not line["description"]:
        problems.append("a description")
    if line["quantity"] <= 0:
        problems.append("a quantity above zero")
    if line["unit_price"] < 0:
        problems.append("a price of zero or more")
    if not Decimal(0) <= line["discount_percent"] <= 100:
        problems.append("a discount between 0 and 100 %")
    if not Decimal(0) <= line["vat_rate"] <= 100:
        problems.append("a VAT rate between 0 and 100 %")
    if problems:
        raise ValidationError(f"Line {number} needs {', '.join(problems)}.")
    return line


def lines_replace(document, lines, *, relation="lines"):
    """Replace the document's lines with `lines` (dicts of LINE_KEYS, in order) and store the
    totals the one totals function gives. Returns the totals."""
    checked = [_checked(values, number) for number, values in enumerate(lines, start=1)]
    if not checked:
        raise ValidationError("Add at least one line.")
    manager = getattr(document, relation)
    manager.all().delete()
    model = manager.model
    totals = document_totals(
        [Line(quantity=line["quantity"], unit_price=line["unit_price"],
              vat_rate=line["vat_rate"], discount_percent=line["discount_percent"])
         for line in checked], discount_percent=getattr(document, "discount_percent", 0))
    model.objects.bulk_create([
        model(**{manager.field.name: document}, position=position, net=net, **line)
        for position, (line, net) in enumerate(zip(checked, totals.line_nets, strict=True))])
    if hasattr(document, "store_totals"):
        document.store_totals(totals)
    return totals


def line_values(lines):
    """The values of existing lines, ready for `lines_replace` on another document."""
    return [line.copy_values() for line in lines]
