import pytest

from crmconnect.company.models import CompanySettings
from tests.factories import VALID_IBANS

SETTINGS_URL = "/admin/settings"


@pytest.fixture
def settings_data():
    """A complete, valid POST of the settings form; tests override single fields."""
    return {
        "legal_name": "Demo Distribution SRL", "cui": "ro 18547290", "reg_com": "j40/1234/2020",
        "vat_payer": "on", "email": "office@demo.example.com", "phone": "+40 21 000 0000",
        "street": "Str. Exemplu 1", "city": "Cluj-Napoca", "county": "RO-CJ", "sector": "",
        "postal_code": "400001", "bank_name": "Banca Demo",
        "iban": VALID_IBANS[0].lower()[:4] + " " + VALID_IBANS[0][4:],
        "default_currency": "RON", "smtp_host": "", "smtp_port": "587", "smtp_username": "",
        "smtp_password": "", "smtp_security": "starttls", "mail_from": "",
    }


@pytest.fixture
def company(db):
    return CompanySettings.load()
