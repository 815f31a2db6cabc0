from django import forms

from crmconnect.core.forms import StyledModelForm

from ..models import ProposalSettings, ProposalTemplate
from ..services.proposal_templates import SETTINGS_FIELDS, TEMPLATE_FIELDS


class ProposalTemplateForm(StyledModelForm):
    class Meta:
        model = ProposalTemplate
        fields = TEMPLATE_FIELDS
        widgets = {
            "content": forms.Textarea(attrs={"rows": 8, "data-richtext": "true"}),
            "terms": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"active": "Inactive templates are not offered for new proposals."}

    def values(self):
        return dict(self.cleaned_data)


class ProposalSettingsForm(StyledModelForm):
    class Meta:
        model = ProposalSettings
        fields = SETTINGS_FIELDS
