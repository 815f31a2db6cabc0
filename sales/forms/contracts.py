"""The contract form (its lines are the proposal lines editor, optional here) and the small
forms of the contract page."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from crmconnect.activity import attachments
from crmconnect.core.forms import StyledForm, StyledModelForm
from leads.forms import COLOR_INPUT, DateInput

from ..models import Contract, ContractStatus, ContractType
from .proposals import DocumentHeaderForm


class ContractForm(DocumentHeaderForm):
    """The contract's header: the client picker, contact and account manager of the document
    header, the contract's own fields."""

    view_all_permission = "sales.view_all_contract"
    SECTIONS = [
        ("Parties", ["client", "contact", "assigned_to"]),
        ("Contract", ["subject", "contract_type", "value", "currency", "exchange_rate",
                      "discount_percent", "start_date", "end_date"]),
    ]

    class Meta:
        model = Contract
        fields = ["subject", "client", "contact", "contract_type", "value", "currency",
                  "exchange_rate", "discount_percent", "start_date", "end_date", "assigned_to",
                  "content", "renewal_terms", "terms", "notes"]
        widgets = {
            "start_date": DateInput, "end_date": DateInput,
            "content": forms.Textarea(attrs={"rows": 12, "data-richtext": "true"}),
            "renewal_terms": forms.Textarea(attrs={"rows": 3}),
            "terms": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"assigned_to": "Account manager"}
        help_texts = {"value": "Used when the contract has no lines; with lines it is their "
                               "total.",
                      "discount_percent": "Taken off every line, before VAT.",
                      "renewal_terms": "How the contract is renewed; a renewal proposal "
                                       "starts with this text."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["client"].required = True
        kind = self.fields["contract_type"]
        kind.queryset = ContractType.objects.filter(
            Q(active=True) | Q(pk=self.instance.contract_type_id))
        kind.empty_label = "—"
        if not self.instance.pk:
            self.initial.setdefault("start_date", timezone.localdate())


class ContractStatusForm(StyledForm):
    """A status set by hand (terminated, reactivated); signing and expiry set theirs."""

    status = forms.ModelChoiceField(ContractStatus.objects.all(), label="New status",
                                    empty_label=None)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = contract.status_id


class SignedManuallyForm(StyledForm):
    signer_name = forms.CharField(label="Signed by", max_length=200,
                                  help_text="The client's signatory, as on the paper copy.")
    signed_on = forms.DateField(label="Signed on", widget=DateInput)
    scan = forms.FileField(label="Scanned signed copy",
                           error_messages={"required": "Attach the scanned signed copy."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="signed", **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
        scan = self.fields["scan"]
        scan.widget.attrs["accept"] = attachments.accept_attribute()
        scan.help_text = f"Kept with the contract's files. {attachments.limits_text()}"

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        attachments.attachment_validate(upload)
        return upload


class RevisionForm(StyledForm):
    revision = forms.ChoiceField(choices=[
        (Contract.Revision.AMENDMENT.value, Contract.Revision.AMENDMENT.label),
        (Contract.Revision.VERSION.value, Contract.Revision.VERSION.label)])


# --- settings ----------------------------------------------------------------------------------

class ContractTypeForm(StyledModelForm):
    class Meta:
        model = ContractType
        fields = ["name", "active"]
        help_texts = {"active": "Inactive types are not offered for new contracts."}


class ContractStatusSettingsForm(StyledModelForm):
    class Meta:
        model = ContractStatus
        fields = ["name", "kind", "color", "order"]
        widgets = {"color": COLOR_INPUT}
        help_texts = {
            "kind": "What the status means: new contracts start in the first draft status, "
                    "signing moves them to the first active one, the daily check to the first "
                    "expired one.",
            "order": "Lists show the statuses from the lowest number; the first of each kind "
                     "is the one set automatically."}
