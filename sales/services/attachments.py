"""Files attached to a sales document — a proposal, a contract — (the kernel's generic
attachments): added by whoever may change the document, removed by their uploader or by
someone who may delete documents of its kind."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from crmconnect.activity import attachments

from ..models import Proposal
from .access import for_change


def _permission(action, model):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


@transaction.atomic
def document_attachment_add(*, actor, document, upload):
    model = type(document)
    document = for_change(model, actor, document, _permission("change", model))
    return attachments.attachment_add(actor=actor, record=document, upload=upload,
                                      client=document.client)


def attachment_document(attachment, model):
    """The `model` document a file belongs to, or None for a file of anything else."""
    if attachment.content_type_id != ContentType.objects.get_for_model(model).pk:
        return None
    return model.objects.filter(pk=attachment.object_id).first()


@transaction.atomic
def document_attachment_delete(*, actor, attachment, model):
    document = attachment_document(attachment, model)
    if document is None:
        raise PermissionDenied
    for_change(model, actor, document, _permission("change", model))
    if (attachment.uploaded_by_id != actor.pk
            and not actor.has_perm(_permission("delete", model))):
        raise PermissionDenied
    attachments.attachment_delete(actor=actor, attachment=attachment)
    return document


def proposal_attachment_add(*, actor, proposal, upload):
    return document_attachment_add(actor=actor, document=proposal, upload=upload)


def attachment_proposal(attachment):
    return attachment_document(attachment, Proposal)


def proposal_attachment_delete(*, actor, attachment):
    return document_attachment_delete(actor=actor, attachment=attachment, model=Proposal)
