"""Billing configuration through the rendered forms: the settings, the numbering series (the
next number never goes back to a used one, one default per document type) and who sees and
changes what."""

from billing.models import BillingSettings, PaymentMode, Series
from billing.services.invoices import invoice_issue
from crmconnect.activity.models import Activity

from ..factories import InvoiceFactory
from ..forms import messages_of, rendered_form, submit

URL = "/admin/billing/config"
ADD_URL = "/admin/billing/series/add"


def series(prefix, document_type=Series.DocumentType.INVOICE):
    return Series.objects.get(prefix=prefix, document_type=document_type)


def edit_url(row):
    return f"/admin/billing/series/{row.pk}/edit"


def test_finance_changes_the_settings(login_as, finance):
    http = login_as(finance)
    page = http.get(URL)
    html = page.content.decode()
    assert 'id="series-table"' in html and "<code>CRM000001</code>" in html
    assert "<code>CHT000001</code>" in html
    fields = rendered_form(page)
    assert fields["due_days"] == "15" and fields["allow_overpayment_to_credit"] == "on"
    fields.update(due_days="30", payment_terms="Within 30 days, by bank transfer.")
    fields.pop("allow_overpayment_to_credit")
    response = http.post(URL, fields)
    assert response["Location"] == URL
    assert messages_of(http.get(URL)) == ["Billing settings saved."]
    config = BillingSettings.load()
    assert (config.due_days, config.payment_terms, config.allow_overpayment_to_credit) == (
        30, "Within 30 days, by bank transfer.", False)
    logged = Activity.objects.get(event="billing_settings.updated")
    assert logged.actor == finance and logged.changes["due_days"] == [15, 30]


def test_invalid_settings_show_again_with_the_input(login_as, finance):
    response = submit(login_as(finance), URL, due_days="400")
    assert response.status_code == 200
    assert "due_days" in response.context["form"].errors
    assert rendered_form(response)["due_days"] == "400"
    assert BillingSettings.load().due_days == 15


def test_who_sees_and_changes_what(login_as, sales_admin, agent):
    http = login_as(sales_admin)  # reads the series and payment modes, changes nothing
    html = http.get(URL).content.decode()
    assert 'id="series-table"' in html and 'id="billing-settings"' not in html
    assert "/admin/billing/series/add" not in html and "/edit" not in html
    assert http.post(URL, {"due_days": "1"}).status_code == 403
    assert http.get(ADD_URL).status_code == 403
    assert http.get("/admin/billing/payment-modes").status_code == 200
    assert http.get("/admin/billing/payment-modes/add").status_code == 403
    assert login_as(agent).get(URL).status_code == 403


def test_the_next_number_never_goes_back_to_a_used_one(login_as, finance, sales_admin,
                                                       draft, account, agent):
    invoice_issue(actor=sales_admin, invoice=draft)  # CRM000001 used
    crm = series("CRM")
    http = login_as(finance)
    response = submit(http, edit_url(crm), next_number="1")
    assert response.status_code == 200
    assert response.context["form"].errors["next_number"] == [
        "CRM000001 is already used: the next number must be 2 or more."]
    crm.refresh_from_db()
    assert crm.next_number == 2

    response = submit(http, edit_url(crm), next_number="42")  # skipping ahead is fine
    assert response["Location"] == URL
    assert messages_of(http.get(URL)) == [
        "Series Invoices (CRM) saved: the next number is CRM000042."]
    issued = invoice_issue(actor=sales_admin, invoice=InvoiceFactory(client=account,
                                                                      assigned_to=agent))
    assert issued.number == "CRM000042"
    # Back down to a number not used yet is allowed; to one used, not.
    assert submit(http, edit_url(crm), next_number="43").status_code == 302
    assert "CRM000042 is already used" in submit(
        http, edit_url(crm), next_number="42").context["form"].errors["next_number"][0]


def test_a_used_series_keeps_its_prefix(login_as, finance, sales_admin, draft):
    invoice_issue(actor=sales_admin, invoice=draft)
    response = submit(login_as(finance), edit_url(series("CRM")), prefix="NEW")
    assert "its prefix and document type stay" in response.context["form"].errors["prefix"][0]
    assert series("CRM").prefix == "CRM"


def test_a_new_default_takes_over_from_the_old_one(login_as, finance):
    http = login_as(finance)
    fields = rendered_form(http.get(ADD_URL))
    assert "document_type" in fields
    fields.update(document_type="invoice", name="Export invoices", prefix="exp",
                  next_number="100", padding="4", is_default="on", active="on")
    response = http.post(ADD_URL, fields)
    assert response["Location"] == URL
    new = series("EXP")  # prefixes are upper case
    assert new.is_default and new.preview == "EXP0100"
    assert not series("CRM").is_default
    assert series("CHT", Series.DocumentType.RECEIPT).is_default  # other types keep theirs
    assert Series.objects.filter(document_type="invoice", is_default=True).count() == 1
    assert Activity.objects.filter(event="series.created", actor=finance).exists()

    # The default cannot just be switched off: another series takes it over.
    response = submit(http, edit_url(new), is_default=None)
    assert "make another series the default instead" in response.context[
        "form"].errors["is_default"][0]
    submit(http, edit_url(series("CRM")), is_default="on")
    assert series("CRM").is_default and not series("EXP").is_default


def test_prefixes_are_unique_per_document_type(login_as, finance):
    http = login_as(finance)
    fields = {**rendered_form(http.get(ADD_URL)), "document_type": "invoice",
              "name": "Again", "prefix": "CRM", "next_number": "1", "padding": "6"}
    response = http.post(ADD_URL, fields)
    assert response.status_code == 200 and response.context["form"].errors
    assert Series.objects.filter(prefix="CRM").count() == 1
    # The same prefix for another document type is fine.
    http.post(ADD_URL, {**fields, "document_type": "proforma"})
    assert Series.objects.filter(prefix="CRM").count() == 2
    # An edit to another series' prefix is refused on the field.
    response = submit(http, edit_url(series("PF", Series.DocumentType.PROFORMA)),
                      prefix="CRM")
    assert response.context["form"].errors["prefix"] == [
        "Another proforma series has the prefix CRM: one prefix may not begin with another, "
        "or two series could print the same number."]
    # CRM0 with padding 5 would print CRM000001 like CRM with padding 6.
    response = http.post(ADD_URL, {**fields, "prefix": "CRM0", "padding": "5"})
    assert response.context["form"].errors["prefix"]
    assert not Series.objects.filter(prefix="CRM0").exists()


def test_the_default_series_must_be_active(login_as, finance):
    response = submit(login_as(finance), edit_url(series("CRM")), active=None)
    assert response.context["form"].errors["active"] == ["The default series must be active."]
    assert series("CRM").active


def test_payment_modes_are_added_and_edited(login_as, finance):
    http = login_as(finance)
    fields = rendered_form(http.get("/admin/billing/payment-modes/add"))
    fields.update(name="Bank transfer EUR", kind="bank_transfer", ordering="5",
                  description="IBAN RO66BACX0000001234567890 (EUR)")
    response = http.post("/admin/billing/payment-modes/add", fields)
    assert response["Location"] == "/admin/billing/payment-modes"
    mode = PaymentMode.objects.get(name="Bank transfer EUR")
    assert mode.is_default and mode.active  # ticked by default, like the model says
    html = http.get("/admin/billing/payment-modes").content.decode()
    assert "Payment mode Bank transfer EUR saved." in html
    assert "IBAN RO66BACX0000001234567890 (EUR)" in html

    response = submit(http, f"/admin/billing/payment-modes/{mode.pk}/edit", active=None,
                      name="Cash")  # the name is taken
    assert "name" in response.context["form"].errors
    submit(http, f"/admin/billing/payment-modes/{mode.pk}/edit", active=None)
    mode.refresh_from_db()
    assert not mode.active
    logged = Activity.objects.get(event="payment_mode.updated")
    assert logged.changes == {"active": [True, False]}
