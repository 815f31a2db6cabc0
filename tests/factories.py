import datetime

import factory
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone

from crmconnect.activity.models import Task
from crmconnect.clients.models import Client, ClientGroup, Contact
from crmconnect.staff.models import Team, User
from crmconnect.staff.roles import ROLE_PERMISSIONS, grant_role_defaults
from leads.models import Lead, LeadStatus, OpportunityStatus, Pipeline

# Valid Romanian fiscal codes (check digit correct), used round-robin by ClientFactory.
VALID_CUIS = ["18547290", "14186770", "1590082", "159", "6859662", "8971726", "16341004",
              "13548146", "361757", "14399840"]
VALID_IBANS = ["RO49AAAA1B31007593840000", "RO66BACX0000001234567890",
               "RO09BCYP0000001234567890"]


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role="Sales Agent") puts the user in that role (a seeded group)."""
        if create and extracted:
            self.groups.add(role_group(extracted))


def role_group(name):
    """The seeded role; re-seeded when a transactional test has emptied the tables."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        grant_role_defaults(apps, sorted({label for role in ROLE_PERMISSIONS.values()
                                          for label in role}))
        group = Group.objects.get(name=name)
    return group


class ClientGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientGroup

    name = factory.Sequence(lambda n: f"Group {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n:05d} SRL")
    cui = ""
    city = "Cluj-Napoca"
    county = "RO-CJ"
    email = factory.Sequence(lambda n: f"office{n}@client.example.com")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@client.example.com")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Follow up {n}")
    assignee = factory.SubFactory(UserFactory)
    due_date = factory.Faker("date_this_month")


class PipelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pipeline

    name = factory.Sequence(lambda n: f"Pipeline {n}")


class LeadStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadStatus

    pipeline = factory.SubFactory(PipelineFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")
    order = factory.Sequence(int)


class OpportunityStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityStatus

    name = factory.Sequence(lambda n: f"Opportunity stage {n}")


class LeadFactory(factory.django.DjangoModelFactory):
    """A lead; pass `status` (its pipeline follows) or get a new pipeline with one stage."""

    class Meta:
        model = Lead

    name = factory.Faker("name")
    company = factory.Sequence(lambda n: f"Prospect {n} SRL")
    email = factory.Sequence(lambda n: f"lead{n}@prospect.example.com")
    status = factory.SubFactory(LeadStatusFactory)
    pipeline = factory.SelfAttribute("status.pipeline")


class OpportunityFactory(LeadFactory):
    is_opportunity = True
    opportunity_status = factory.SubFactory(OpportunityStatusFactory)


# --- sales -------------------------------------------------------------------------------

def vat_rate(rate="21"):
    """The seeded VAT rate (re-created after a flush)."""
    from decimal import Decimal

    from crmconnect.company.models import VatRate

    return VatRate.objects.get_or_create(
        rate=Decimal(rate), category="S" if Decimal(rate) else "Z",
        defaults={"name": f"VAT {rate}%"})[0]


class ItemGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.ItemGroup"

    name = factory.Sequence(lambda n: f"Item group {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Item"

    code = factory.Sequence(lambda n: f"ITEM-{n:04d}")
    name = factory.Sequence(lambda n: f"Service {n}")
    unit = "hour"
    unit_price = factory.Faker("pydecimal", left_digits=3, right_digits=2, min_value=1,
                               max_value=900)
    vat_rate = factory.LazyFunction(vat_rate)


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.PriceList"

    name = factory.Sequence(lambda n: f"Price list {n}")


def line(item=None, **values):
    """A line's values as the document services take them."""
    from decimal import Decimal

    base = {"item": item, "description": item.name if item else "Consulting",
            "quantity": Decimal(1), "unit": item.unit if item else "hour",
            "unit_price": item.unit_price if item else Decimal("100.00"),
            "discount_percent": Decimal(0), "vat_rate": Decimal(21), "vat_category": "S"}
    base.update(values)
    return base


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal with `lines` (a list of line() dicts; two lines by default) and totals."""

    class Meta:
        model = "sales.Proposal"
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"Proposal {n}")
    client = factory.SubFactory(ClientFactory)
    recipient_name = "Ana Pop"
    recipient_email = factory.Sequence(lambda n: f"buyer{n}@client.example.com")
    open_till = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        from decimal import Decimal

        from sales.services.lines import lines_replace

        if not create:
            return
        lines_replace(self, extracted if extracted is not None else [
            line(description="Audit", quantity=Decimal(2), unit_price=Decimal("150.00")),
            line(description="Training", unit_price=Decimal("99.99"), vat_rate=Decimal(11)),
        ])
        self.save(update_fields=["subtotal", "discount_total", "vat_total", "total"])


class InvoiceFactory(factory.django.DjangoModelFactory):
    """A draft invoice with `lines` (line() dicts; two lines by default) and totals. Issue it
    with billing.services.invoices.invoice_issue (the client needs full tax data: see
    TaxedClientFactory)."""

    class Meta:
        model = "billing.Invoice"
        skip_postgeneration_save = True

    client = factory.SubFactory("tests.factories.TaxedClientFactory")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=15))

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        from decimal import Decimal

        from sales.services.lines import lines_replace

        if not create:
            return
        lines_replace(self, extracted if extracted is not None else [
            line(description="Implementation", quantity=Decimal(3), unit_price=Decimal("400.00")),
            line(description="Licence", unit_price=Decimal("199.99"), vat_rate=Decimal(11)),
        ])
        self.save(update_fields=["subtotal", "discount_total", "vat_total", "total"])


def valid_cui(n):
    """The n-th of a run of valid fiscal codes (check digit computed), unlike VALID_CUIS."""
    from stdnum.ro import cui

    base = str(20_000_000 + n)
    return base + cui.calc_check_digit(base)


class TaxedClientFactory(ClientFactory):
    """A company client with everything an invoice needs: CUI, registered address, VAT."""

    cui = factory.Sequence(lambda n: valid_cui(n))
    reg_com = "J12/345/2020"
    street = "Str. Memorandumului 28"
    vat_payer = True
