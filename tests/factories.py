import factory
from django.apps import apps
from django.contrib.auth.models import Group

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
