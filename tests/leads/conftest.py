import pytest

from leads.models import LeadSource, LostReason, OpportunityStatus, Pipeline

from ..factories import LeadFactory, LeadStatusFactory, PipelineFactory


@pytest.fixture
def pipeline(db):
    """The seeded "Sales" pipeline with its five stages (re-created after a flush)."""
    pipeline = Pipeline.objects.filter(name="Sales").first() or PipelineFactory(name="Sales")
    for order, name in enumerate(["New", "Contacted", "Qualified", "Demo Scheduled",
                                  "Proposal Sent"]):
        pipeline.statuses.get_or_create(name=name, defaults={"order": order})
    return pipeline


@pytest.fixture
def stages(pipeline):
    return list(pipeline.statuses.order_by("order"))


@pytest.fixture
def other_pipeline(db):
    status = LeadStatusFactory(pipeline=PipelineFactory(name="Partners"), name="Intro")
    return status.pipeline


@pytest.fixture
def lead(stages, agent):
    return LeadFactory(status=stages[0], assigned_to=agent)


@pytest.fixture
def lost_reason(db):
    return LostReason.objects.get_or_create(name="Price too high")[0]


@pytest.fixture
def source(db):
    return LeadSource.objects.get_or_create(name="Web form")[0]


@pytest.fixture
def opportunity_status(db):
    return OpportunityStatus.objects.get_or_create(name="Qualification")[0]
