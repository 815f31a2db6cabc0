"""What the client submits in the portal. The services check the rules (expired, closed,
signature format); these forms only shape the input."""

from django import forms

from crmconnect.core.forms import StyledForm


class AcceptForm(StyledForm):
    """Accepting a proposal or signing a contract: the signer and one signature."""

    signer_name = forms.CharField(label="Full name", max_length=200)
    signer_email = forms.EmailField(label="Email", required=False)
    signature = forms.CharField(required=False, widget=forms.HiddenInput,
                                help_text="The drawn signature as a PNG data URL.")
    typed_signature = forms.CharField(label="Or type your name as signature", required=False)

    def clean(self):
        """One signature for the service: the drawing when there is one, else the typed name."""
        data = super().clean()
        data["signature"] = data.get("signature") or data.get("typed_signature", "")
        return data


class DeclineForm(StyledForm):
    reason = forms.CharField(label="Reason (optional)", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(StyledForm):
    name = forms.CharField(label="Your name", max_length=200)
    body = forms.CharField(label="Comment", max_length=5000, widget=forms.Textarea(
        attrs={"rows": 3}))
