"""CSV and XLSX exports of the leads and opportunities lists: rows streamed from the database
in chunks (tags prefetched per chunk), never loaded all at once."""

import csv
import itertools
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from .queries import from_cents

CHUNK_SIZE = 2000
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMULA_START = ("=",)


def _text(value):
    return "" if value is None else str(value)


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


CONTACT_COLUMNS = [
    ("ID", lambda lead: lead.pk),
    ("Name", lambda lead: lead.name),
    ("Company", lambda lead: lead.company),
    ("Position", lambda lead: lead.position),
    ("Email", lambda lead: lead.email),
    ("Phone", lambda lead: lead.phone),
    ("City", lambda lead: lead.city),
    ("Industry", lambda lead: lead.industry),
]
LEAD_COLUMNS = [
    *CONTACT_COLUMNS,
    ("Pipeline", lambda lead: lead.pipeline.name),
    ("Status", lambda lead: lead.status.name),
    ("Source", lambda lead: _text(lead.source)),
    ("Assigned agent", lambda lead: _text(lead.assigned_to)),
    ("Value", lambda lead: lead.value),
    ("Currency", lambda lead: lead.currency),
    ("Tags", lambda lead: ", ".join(tag.name for tag in lead.tags.all())),
    ("Status changed", lambda lead: _moment(lead.status_changed_at)),
    ("Last contacted", lambda lead: _moment(lead.last_contacted_at)),
    ("Lost", lambda lead: _moment(lead.lost_at)),
    ("Lost reason", lambda lead: _text(lead.lost_reason)),
    ("Junk", lambda lead: "yes" if lead.is_junk else "no"),
    ("Created", lambda lead: _moment(lead.created_at)),
]
OPPORTUNITY_COLUMNS = [
    *CONTACT_COLUMNS,
    ("Status", lambda opportunity: _text(opportunity.opportunity_status)),
    ("Value", lambda opportunity: opportunity.value),
    ("Currency", lambda opportunity: opportunity.currency),
    ("Probability %", lambda opportunity: opportunity.probability),
    ("Weighted value", lambda opportunity: from_cents(opportunity.weighted_cents)),
    ("Close date", lambda opportunity: opportunity.close_date),
    ("Owner", lambda opportunity: _text(opportunity.assigned_to)),
    ("Created", lambda opportunity: _moment(opportunity.created_at)),
]


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


LEADS = Export("Leads", LEAD_COLUMNS)
OPPORTUNITIES = Export("Opportunities", OPPORTUNITY_COLUMNS)
