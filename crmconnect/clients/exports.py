"""CSV and XLSX exports of a client list: rows streamed from the database in chunks, never
loaded all at once."""

import csv
import itertools
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

COLUMNS = [
    ("ID", lambda c: c.pk),
    ("Kind", lambda c: c.get_kind_display()),
    ("Name", lambda c: c.name),
    ("CUI/CIF", lambda c: c.cui),
    ("VAT payer", lambda c: "yes" if c.vat_payer else "no"),
    ("VAT regime", lambda c: c.get_vat_regime_display()),
    ("Reg. Com.", lambda c: c.reg_com),
    ("Street", lambda c: c.street),
    ("City", lambda c: c.city),
    ("County code", lambda c: c.county),
    ("Sector", lambda c: c.get_sector_display() if c.sector else ""),
    ("Postal code", lambda c: c.postal_code),
    ("IBAN", lambda c: c.iban),
    ("Bank", lambda c: c.bank_name),
    ("Email", lambda c: c.email),
    ("Phone", lambda c: c.phone),
    ("Website", lambda c: c.website),
    ("Currency", lambda c: c.currency),
    ("Group", lambda c: c.group.name if c.group else ""),
    ("Account owner", lambda c: str(c.owner) if c.owner else ""),
    ("Active", lambda c: "yes" if c.active else "no"),
    ("Created", lambda c: timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M")),
]
CHUNK_SIZE = 2000
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMULA_START = ("=",)


def _cells(client, formula_start):
    for _, value in COLUMNS:
        cell = value(client)
        if isinstance(cell, str) and cell.startswith(formula_start):
            cell = f"'{cell}"
        yield cell


def _rows(queryset, formula_start):
    yield [title for title, _ in COLUMNS]
    for client in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield list(_cells(client, formula_start))


def _filename(extension):
    return f"clients-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


def export_csv(queryset):
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _rows(queryset, CSV_FORMULA_START))
    # The byte order mark makes spreadsheet programs read the diacritics as UTF-8.
    response = StreamingHttpResponse(itertools.chain(["\ufeff"], lines),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def export_xlsx(queryset):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Clients")
    for row in _rows(queryset, XLSX_FORMULA_START):
        sheet.append(row)
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


EXPORTERS = {"csv": export_csv, "xlsx": export_xlsx}
