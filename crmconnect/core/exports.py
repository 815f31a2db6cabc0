"""CSV and XLSX downloads of a list: rows streamed from the database in chunks, never loaded
all at once, with spreadsheet formulas neutralised (CSV injection)."""

import csv
import itertools
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

CHUNK_SIZE = 2000
# A cell starting with one of these is a formula to a spreadsheet.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMULA_START = ("=",)


def local_moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class Export:
    """One kind of export: its columns and the name of its file and sheet."""

    def __init__(self, name, columns):
        self.name, self.columns = name, columns

    def response(self, queryset, file_format):
        """The download in `file_format` (csv or xlsx); None for an unknown format."""
        writer = {"csv": self._csv, "xlsx": self._xlsx}.get(file_format)
        return writer(queryset) if writer else None

    def _rows(self, queryset, formula_start):
        yield [title for title, _ in self.columns]
        for record in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [_safe(value(record), formula_start) for _, value in self.columns]

    def _filename(self, extension):
        return f"{self.name.lower()}-{timezone.localdate():%Y-%m-%d}.{extension}"

    def _csv(self, queryset):
        writer = csv.writer(_Echo())
        lines = (writer.writerow(row) for row in self._rows(queryset, CSV_FORMULA_START))
        # The byte order mark makes spreadsheet programs read the diacritics as UTF-8.
        response = StreamingHttpResponse(itertools.chain(["\ufeff"], lines),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self._filename("csv")}"'
        return response

    def _xlsx(self, queryset):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.name)
        for row in self._rows(queryset, XLSX_FORMULA_START):
            sheet.append(row)
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        workbook.save(output)
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, filename=self._filename("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _safe(cell, formula_start):
    if isinstance(cell, str) and cell.startswith(formula_start):
        return f"'{cell}"
    return cell


class _Echo:
    def write(self, value):
        return value
