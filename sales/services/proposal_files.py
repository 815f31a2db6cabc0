"""Files attached to a proposal (the kernel's generic attachments): added by whoever may
change the proposal, removed by their uploader or by someone who may delete proposals."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from crmconnect.activity import attachments

from ..models import Proposal
from .proposals import proposal_for_change


@transaction.atomic
def proposal_attachment_add(*, actor, proposal, upload):
    proposal = proposal_for_change(actor, proposal)
    return attachments.attachment_add(actor=actor, record=proposal, upload=upload,
                                      client=proposal.client)


def attachment_proposal(attachment):
    """The proposal a file belongs to, or None for a file of anything else."""
    if attachment.content_type_id != ContentType.objects.get_for_model(Proposal).pk:
        return None
    return Proposal.objects.filter(pk=attachment.object_id).first()


@transaction.atomic
def proposal_attachment_delete(*, actor, attachment):
    proposal = attachment_proposal(attachment)
    if proposal is None:
        raise PermissionDenied
    proposal_for_change(actor, proposal)
    if attachment.uploaded_by_id != actor.pk and not actor.has_perm("sales.delete_proposal"):
        raise PermissionDenied
    attachments.attachment_delete(actor=actor, attachment=attachment)
    return proposal
