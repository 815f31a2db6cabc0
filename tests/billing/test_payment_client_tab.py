"""The client record's "Payments & credit" tab: the credit per currency, the latest payments
and the way to record an advance."""

from decimal import Decimal

from billing.services.payments import payment_record


def test_the_tab_shows_credit_per_currency_and_the_latest_payments(login_as, sales_admin,
                                                                   agent, account, issued,
                                                                   bank_transfer):
    first = payment_record(actor=sales_admin, invoice=issued, amount=Decimal("2000"),
                           mode=bank_transfer, excess_to_credit=True)
    second = payment_record(actor=sales_admin, client=account, currency="EUR",
                            amount=Decimal("50"), mode=bank_transfer)
    html = login_as(sales_admin).get(f"/admin/clients/{account.pk}").content.decode()
    assert "Payments &amp; credit" in html
    assert 'data-credit="EUR">50.00 EUR' in html and 'data-credit="RON">326.01 RON' in html
    assert f'href="/admin/payments/{first.pk}">CHT000001' in html
    assert f'href="/admin/payments/{second.pk}">CHT000002' in html
    assert f'href="/admin/payments/add?client={account.pk}"' in html
    assert f'href="/admin/payments?client={account.pk}"' in html

    html = login_as(agent).get(f"/admin/clients/{account.pk}").content.decode()
    assert "CHT000002" in html  # their client's payments
    assert "Record advance payment" not in html  # agents do not record payments


def test_a_client_without_payments(login_as, sales_admin, account):
    html = login_as(sales_admin).get(f"/admin/clients/{account.pk}").content.decode()
    assert 'id="client-credit-totals"' in html and "No payments yet." in html
