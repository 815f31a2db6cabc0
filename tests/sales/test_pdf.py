"""The proposal PDF: what it prints (checked on the HTML WeasyPrint renders) and that the
PDF itself renders without fetching anything a user typed."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from crmconnect.company.models import CompanySettings
from sales.models import Proposal
from sales.pdf import document_context, proposal_pdf

from ..core.test_pdf_fetcher import probe_server
from ..factories import LeadFactory, ProposalFactory, line
from ..pdf_reading import pdf_page_count
from .test_portal import png_data_url


@pytest.fixture
def http_probe():
    with probe_server() as server:
        yield server


def pdf_html(proposal):
    return render_to_string("sales/pdf/proposal.html", document_context(proposal))


def company():
    settings = CompanySettings.load()
    settings.legal_name, settings.cui, settings.reg_com = "Nord Soft SRL", "RO18547290", \
        "J40/1234/2015"
    settings.street, settings.city, settings.county = "Str. Lalelor 3", "Cluj-Napoca", "RO-CJ"
    settings.iban, settings.bank_name = "RO49AAAA1B31007593840000", "Banca Demo"
    settings.email, settings.phone = "office@nordsoft.example.ro", "+40 264 000 000"
    settings.save()
    return settings


def test_the_pdf_prints_issuer_client_lines_totals_and_terms(proposal):
    company()
    client = proposal.client
    client.cui, client.reg_com, client.street, client.city = "RO14399840", "J12/55/2002", \
        "Bd. Eroilor 10", "Cluj-Napoca"
    client.save()
    Proposal.objects.filter(pk=proposal.pk).update(
        content="<p>Dear Maria,</p>", terms="<ul><li>Payment in 15 days</li></ul>",
        notes="internal: margin 40%")
    proposal.refresh_from_db()
    html = pdf_html(proposal)
    for text in ("Nord Soft SRL", "CUI: RO18547290", "Reg. Com.: J40/1234/2015",
                 "Str. Lalelor 3", "Cluj-Napoca, Cluj", "IBAN: RO49AAAA1B31007593840000",
                 "Banca Demo", "office@nordsoft.example.ro", "+40 264 000 000",
                 "Alfa Consulting SRL", "CUI: RO14399840", "Reg. Com.: J12/55/2002",
                 "Bd. Eroilor 10", f"Proposal {proposal.number}", proposal.subject,
                 f"Open till: {proposal.open_till:%d.%m.%Y}", "<p>Dear Maria,</p>",
                 "<li>Payment in 15 days</li>", "Audit", "Training",
                 'data-total="subtotal">399.99 RON', 'data-total="vat-21">63.00 RON',
                 'data-total="vat-11">11.00 RON', 'data-total="total">473.99 RON',
                 "counter(pages)", "size: A4"):
        assert text in html, text
    assert "margin 40%" not in html
    assert 'data-total="ron"' not in html  # a RON proposal has no RON equivalent
    data = proposal_pdf(proposal)
    assert data.startswith(b"%PDF-")
    assert pdf_page_count(data) == 1


def test_a_foreign_currency_shows_the_discount_and_the_ron_equivalent(account, agent):
    proposal = ProposalFactory(client=account, assigned_to=agent, currency="EUR",
                               exchange_rate=Decimal("4.9765"), discount_percent=Decimal(10),
                               lines=[line(description="Licence", quantity=Decimal(3),
                                           unit_price=Decimal("100.00"),
                                           discount_percent=Decimal("5"))])
    html = pdf_html(proposal)
    assert 'data-total="subtotal">285.00 EUR' in html
    assert 'data-total="discount">−28.50 EUR' in html
    assert 'data-total="vat-21">53.87 EUR' in html
    assert 'data-total="total">310.37 EUR' in html
    assert 'data-total="ron">1,544.56 RON' in html  # 310.37 × 4.9765
    assert proposal.total == Decimal("310.37")


def test_a_proposal_for_a_lead_prints_the_lead(agent):
    lead = LeadFactory(name="Ioana Dumitru", company="Smart Parking SRL", assigned_to=agent)
    proposal = ProposalFactory(client=None, lead=lead, assigned_to=agent)
    html = pdf_html(proposal)
    assert "Smart Parking SRL" in html and "Ioana Dumitru" in html


def test_an_accepted_proposal_prints_the_signature_block(sent_proposal):
    proposal, _ = sent_proposal
    drawing = png_data_url()
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.ACCEPTED, accepted_at=timezone.now(), signer_name="Ana Pop",
        signer_email="ana@client.example.com", signature=drawing, signed_ip="203.0.113.5")
    proposal.refresh_from_db()
    html = pdf_html(proposal)
    assert "Accepted and signed" in html and f'src="{drawing}"' in html
    assert "IP 203.0.113.5" in html and "ana@client.example.com" in html
    assert proposal_pdf(proposal).startswith(b"%PDF-")  # the data: image is allowed

    Proposal.objects.filter(pk=proposal.pk).update(signature="Ana Pop")
    proposal.refresh_from_db()
    assert 'class="typed-signature">Ana Pop' in pdf_html(proposal)


def test_an_open_proposal_has_no_signature_block(proposal):
    assert "Accepted and signed" not in pdf_html(proposal)


def test_many_lines_run_over_several_pages(account, agent):
    proposal = ProposalFactory(client=account, assigned_to=agent, lines=[
        line(description=f"Service line {n}\nwith a second line of detail") for n in range(90)])
    assert pdf_page_count(proposal_pdf(proposal)) >= 2


def test_markup_typed_into_a_proposal_is_not_fetched(account, agent, http_probe):
    """An image pointing at a local service in the cover letter, the terms (written around
    the services, straight into the table) or a line's description makes no request."""
    image = f'<img src="{http_probe.url}/secret">'
    proposal = ProposalFactory(client=account, assigned_to=agent, lines=[
        line(description=f"Audit {image}")])
    Proposal.objects.filter(pk=proposal.pk).update(
        content=f"<p>Hello</p>{image}", terms=f'<p style="background: url({http_probe.url})">'
                                             f"Terms</p>{image}")
    proposal.refresh_from_db()
    assert proposal_pdf(proposal).startswith(b"%PDF-")
    assert http_probe.requests == []
    assert "&lt;img" in pdf_html(proposal)  # the description is printed as text
