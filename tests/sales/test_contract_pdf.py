"""The contract PDF: what it prints (the HTML WeasyPrint renders, and the text of the PDF
itself) before and after signing, online or on paper."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

from sales.models import Contract
from sales.pdf import contract_context, contract_pdf
from sales.services import contracts as services

from ..factories import line
from ..pdf_reading import image_count, pdf_page_count, pdf_text
from .test_pdf import company
from .test_portal import png_data_url


def stored_pdf(contract):
    """The signed PDF archived with `contract`, read from the start."""
    with contract.signed_pdf.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF-"), data[:20]
    return data


def html(contract):
    return render_to_string("sales/pdf/contract.html", contract_context(contract))


def make_contract(actor, client, **values):
    """A draft contract for one year from today, made through the service."""
    today = timezone.localdate()
    return services.contract_create(actor=actor, **{
        "subject": "Managed security services", "client": client, "value": Decimal("12000.00"),
        "start_date": today, "end_date": today + datetime.timedelta(days=364),
        "content": "<p>The provider monitors the client's network.</p>", **values})


@pytest.fixture
def contract(agent, account):
    return make_contract(agent, account, contact=account.contacts.get(),
                         terms="<p>Payment in 15 days.</p>",
                         renewal_terms="Renews for one year unless terminated.",
                         lines=[line(description="Monitoring", quantity=Decimal(12),
                                     unit_price=Decimal("1000.00"))])


def test_the_pdf_prints_parties_period_text_lines_terms_and_renewal(contract):
    company()
    client = contract.client
    client.cui, client.reg_com, client.street = "RO14399840", "J12/55/2002", "Bd. Eroilor 10"
    client.save()
    Contract.objects.filter(pk=contract.pk).update(
        notes="internal: push for 3 years",
        content='<p>Scope</p><script>alert(1)</script><img src="file:///etc/passwd">')
    contract.refresh_from_db()
    page = html(contract)
    for text in ("Nord Soft SRL", "CUI: RO18547290", "Alfa Consulting SRL", "CUI: RO14399840",
                 "Reg. Com.: J12/55/2002", "Bd. Eroilor 10", "Represented by Maria Ionescu",
                 f"Contract {contract.number}", contract.subject,
                 f"Period: {contract.start_date:%d.%m.%Y} – {contract.end_date:%d.%m.%Y}",
                 "14,520.00 RON", "<p>Scope</p>", "Monitoring",
                 'data-total="total">14,520.00 RON', "<p>Payment in 15 days.</p>",
                 "Renews for one year unless terminated."):
        assert text in page, text
    assert "push for 3 years" not in page
    assert "<script" not in page and "file:///" not in page
    assert "Signed" not in page  # not signed yet: no signature block
    data = contract_pdf(contract)
    assert data.startswith(b"%PDF-") and pdf_page_count(data) == 1
    assert "Monitoring" in pdf_text(data)


def test_a_contract_without_lines_prints_its_value_and_no_items(agent, account):
    contract = make_contract(agent, account, value=Decimal("5000.00"), end_date=None)
    page = html(contract)
    assert "5,000.00 RON" in page and "open-ended" in page
    assert "Items" not in page and 'data-total="total"' not in page


def test_a_new_version_prints_its_version_and_what_it_replaces(agent, contract):
    version = services.contract_new_revision(actor=agent, contract=contract,
                                             revision=Contract.Revision.VERSION)
    page = html(version)
    assert f"Contract CTR-{version.pk:06d} v2" in page
    assert f"New version of contract {contract.number}" in page


def test_signed_online_prints_the_drawn_signature_signer_time_and_ip(contract):
    signed = services.contract_sign(contract=contract, signer_name="Maria Ionescu",
                                    signer_email="maria@alfa.example.com",
                                    signature=png_data_url(), ip="203.0.113.7")
    page = html(signed)
    assert "Signed online" in page and "Maria Ionescu · maria@alfa.example.com" in page
    assert f"{timezone.localtime(signed.signed_at):%d.%m.%Y %H:%M} · IP 203.0.113.7" in page
    assert '<img class="signature-image" src="data:image/png;base64,' in page
    stored = stored_pdf(signed)
    text = pdf_text(stored)
    assert "Maria Ionescu · maria@alfa.example.com" in text and "IP 203.0.113.7" in text
    assert image_count(stored) == 1


def test_signed_on_paper_says_so(agent, contract):
    signed = services.contract_mark_signed_manually(
        actor=agent, contract=contract, signer_name="Maria Ionescu",
        signed_on=timezone.localdate() - datetime.timedelta(days=2),
        scan=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 scan", "application/pdf"))
    text = pdf_text(stored_pdf(signed))
    signed_on = timezone.localdate() - datetime.timedelta(days=2)
    assert f"Signed on paper by Maria Ionescu on {signed_on:%d.%m.%Y}." in text.replace("\n", "")
    assert "IP " not in html(signed)
