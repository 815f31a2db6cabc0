import pytest

from crmconnect.staff import roles


def client_form_data(**overrides):
    """A complete, valid POST of the client form."""
    data = {
        "kind": "company", "name": "Transilvania Soft SRL", "cui": "RO18547290",
        "vat_payer": "on", "vat_regime": "normal", "reg_com": "J12/1234/2005",
        "street": "Str. Memorandumului 28", "city": "Cluj-Napoca", "county": "RO-CJ",
        "sector": "", "postal_code": "400114", "iban": "RO49 AAAA 1B31 0075 9384 0000",
        "bank_name": "Banca Transilvania", "email": "office@transilvania-soft.ro",
        "phone": "+40 264 000 000", "website": "https://transilvania-soft.ro",
        "currency": "RON", "group": "", "owner": "", "notes": "", "active": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def agent(make_user):
    return make_user(roles.SALES_AGENT)


@pytest.fixture
def manager(make_user):
    return make_user(roles.SALES_MANAGER)
