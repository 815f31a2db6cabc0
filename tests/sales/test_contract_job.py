"""The daily contract check (services.contracts.contracts_check, beat task
sales.tasks.check_contracts): expiry, the renewal task at 60 days and the reminder at 30, each
once however often the job runs."""

import datetime
import os

import pytest
from django.utils import timezone

from crmconnect.activity.models import Notification, Task
from sales import events
from sales.models import Contract, ContractReminder, ContractStatus
from sales.services.contracts import contracts_check
from sales.tasks import check_contracts

from ..factories import ClientFactory, UserFactory
from .test_contract_pdf import make_contract
from .test_send_email import wait_for
from .test_services_contracts import seed_contract_statuses
from .test_services_proposals import listening

Kind = ContractStatus.Kind
Step = ContractReminder.Step
DAY = datetime.timedelta(days=1)


def active_contract(actor, client, ends_in, **values):
    """A signed contract ending `ends_in` days from today (signing itself is tested with the
    services; here only the status and the dates matter)."""
    today = timezone.localdate()
    contract = make_contract(actor, client, start_date=today - 300 * DAY,
                             end_date=today + ends_in * DAY, **values)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.first_of(Kind.ACTIVE),
                                                   signed_at=timezone.now())
    contract.refresh_from_db()
    return contract


def tasks_of(contract):
    return Task.objects.filter(object_id=contract.pk, content_type__model="contract")


def test_ending_in_59_days_gives_one_renewal_task_however_often_the_job_runs(agent, account):
    contract = active_contract(agent, account, 59)
    assert contracts_check() == (0, 1)
    assert contracts_check() == (0, 0)
    task = tasks_of(contract).get()
    assert task.assignee == agent and task.record == contract and task.client == account
    assert task.title == "Contract renewal: Managed security services"
    assert task.due_date == timezone.localdate() + 7 * DAY
    assert "use Renew on the contract" in task.description
    reminder = ContractReminder.objects.get()
    assert (reminder.contract, reminder.step, reminder.task, reminder.recipient) == (
        contract, Step.RENEWAL_60, task, agent)
    assert Notification.objects.filter(recipient=agent, message__startswith="New task").count() == 1


def test_only_active_contracts_within_60_days_get_a_task(agent, account):
    active_contract(agent, account, 61)
    draft = make_contract(agent, account, end_date=timezone.localdate() + 30 * DAY)
    terminated = active_contract(agent, account, 30)
    Contract.objects.filter(pk=terminated.pk).update(
        status=ContractStatus.first_of(Kind.TERMINATED))
    assert contracts_check() == (0, 0)
    assert not Task.objects.exists() and draft.status.kind == Kind.DRAFT


def test_the_task_goes_to_the_client_owner_when_the_contract_has_no_manager(agent, account):
    contract = active_contract(agent, account, 40)
    Contract.objects.filter(pk=contract.pk).update(assigned_to=None)
    contracts_check()
    assert tasks_of(contract).get().assignee == account.owner == agent


def test_ending_in_25_days_after_the_60_day_step_gives_the_reminder_once(agent, account):
    contract = active_contract(agent, account, 25)
    ContractReminder.objects.create(contract=contract, step=Step.RENEWAL_60, recipient=agent,
                                    created_by_job_at=timezone.now() - 10 * DAY)
    assert contracts_check() == (0, 1)
    assert contracts_check() == (0, 0)
    task = tasks_of(contract).get()
    assert task.title == "Contract ends in 25 days: Managed security services"
    assert task.assignee == agent and task.due_date == timezone.localdate() + 7 * DAY
    assert ContractReminder.objects.get(step=Step.REMINDER_30).task == task


def test_a_contract_signed_inside_30_days_gets_the_task_then_the_reminder_next_day(
        agent, account):
    """Both steps never land on the same day: the reminder waits for the day after the task."""
    contract = active_contract(agent, account, 20)
    today = timezone.localdate()
    assert contracts_check(today=today) == (0, 1)
    assert contracts_check(today=today) == (0, 0)
    assert contracts_check(today=today + DAY) == (0, 1)
    assert contracts_check(today=today + 2 * DAY) == (0, 0)
    assert sorted(tasks_of(contract).values_list("title", flat=True)) == [
        "Contract ends in 19 days: Managed security services",
        "Contract renewal: Managed security services"]
    assert tasks_of(contract).get(title__startswith="Contract ends").due_date == \
        today + 8 * DAY


def test_a_task_is_never_due_after_the_contract_ends(agent, account):
    contract = active_contract(agent, account, 3)
    contracts_check()
    assert tasks_of(contract).get().due_date == contract.end_date


def test_an_active_contract_past_its_end_expires_and_the_manager_hears_once(
        agent, account, django_capture_on_commit_callbacks):
    contract = active_contract(agent, account, -1)
    still_running = active_contract(agent, ClientFactory(owner=agent), 0)
    with (listening(events.contract_expired) as expired,
          django_capture_on_commit_callbacks(execute=True)):
        assert contracts_check()[0] == 1
        assert contracts_check()[0] == 0
    contract.refresh_from_db()
    still_running.refresh_from_db()
    assert contract.status == ContractStatus.first_of(Kind.EXPIRED)
    assert still_running.status.kind == Kind.ACTIVE  # it ends today: still in force
    notification = Notification.objects.get(message__contains="expired")
    assert notification.recipient == agent and notification.url == contract.get_absolute_url()
    assert notification.message == f"Contract {contract.number} with {account} expired."
    assert [call["contract"] for call in expired] == [contract]
    assert not tasks_of(contract).exists()


def test_an_expired_contract_without_a_manager_still_expires(agent):
    client = ClientFactory(owner=None)
    contract = active_contract(UserFactory(is_superuser=True), client, -5)
    Contract.objects.filter(pk=contract.pk).update(assigned_to=None)
    assert contracts_check()[0] == 1
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_through_a_real_worker_creates_one_task_when_run_twice(agent, account):
    """The beat job through the configured broker (in-memory, or Redis when REDIS_URL is set)
    and a real worker thread, twice."""
    from celery.contrib.testing.worker import start_worker

    from crmconnect.celery import app

    assert os.environ.get("REDIS_URL") or app.conf.broker_url == "memory://"
    seed_contract_statuses()
    contract = active_contract(agent, account, 59)
    ended = active_contract(agent, ClientFactory(owner=agent), -2)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        check_contracts.delay()
        assert wait_for(lambda: tasks_of(contract).exists())
        # The second run shows it has run by giving a contract signed since its task.
        later = active_contract(agent, ClientFactory(owner=agent), 50)
        check_contracts.delay()
        assert wait_for(lambda: tasks_of(later).exists())
    assert tasks_of(contract).count() == 1
    assert tasks_of(contract).get().assignee == agent
    ended.refresh_from_db()
    assert ended.status.kind == Kind.EXPIRED
    assert Notification.objects.filter(message__contains="expired").count() == 1
