"""Files attached to any record: validated (size, type, first bytes), stored in the default
storage under a random name, logged, and readable only by someone who can see the record."""

import mimetypes
import os
import uuid
from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Q

from crmconnect.clients.models import Client

from .models import Attachment
from .services import activity_record, record_link

# What the first bytes of a file of these types must be. A browser may render such a file
# inline, so its content must really be what the name claims.
SIGNATURES = {
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "gif": lambda head: head[:6] in (b"GIF87a", b"GIF89a"),
    "webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
}
HEAD_BYTES = 16
# Served with their own content type; everything else is application/octet-stream.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
# A record without `visible_to` on its manager is checked through this parent (an email's
# copy is attached to an Interaction: whoever sees its lead may read it).
PARENT_FIELDS = ("lead", "client")


def allowed_extensions():
    return [ext.lower().lstrip(".") for ext in settings.ATTACHMENT_EXTENSIONS]


def accept_attribute():
    """The `accept` attribute of a file input: ".pdf,.docx,…"."""
    return ",".join(f".{ext}" for ext in allowed_extensions())


def limits_text():
    """"Up to 10 MB: pdf, doc, …" for a file input's help text."""
    return (f"Up to {human_size(settings.ATTACHMENT_MAX_BYTES)}: "
            f"{', '.join(allowed_extensions())}.")


def human_size(size):
    """12.3 MB, 10 MB, 512 KB, 80 bytes."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}"
    return f"{size} bytes"


def extension_of(name):
    return os.path.splitext(name)[1].lower().lstrip(".")


def attachment_validate(upload):
    """Raise ValidationError with a message a person can act on if `upload` may not be kept."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {human_size(upload.size)}; the limit is {human_size(limit)}.",
            code="too_large")
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    extension = extension_of(upload.name)
    allowed = allowed_extensions()
    if extension not in allowed:
        shown = f"“.{extension}” files" if extension else "Files without an extension"
        raise ValidationError(f"{shown} cannot be attached. Allowed types: {', '.join(allowed)}.",
                              code="type")
    check = SIGNATURES.get(extension)
    if check is not None:
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        if not check(head):
            raise ValidationError(
                f"“{upload.name}” is not a real .{extension} file: its content does not match "
                "its type.", code="content")


def _display_name(upload):
    return os.path.basename(upload.name.replace("\\", "/"))[:255] or "file"


@transaction.atomic
def attachment_add(*, actor, record, upload, client=None):
    """Attach `upload` to `record`. The caller checks that `actor` may change the record.

    Storage is not transactional: the file is written before the row, and removed again if
    the row cannot be written."""
    attachment_validate(upload)
    name = _display_name(upload)
    attachment = Attachment(
        **record_link(record, client), name=name, size=upload.size, uploaded_by=actor,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    upload.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}.{extension_of(name)}", upload, save=False)
    try:
        attachment.save()
        activity_record(actor=actor, event="attachment.added", record=record,
                        client=attachment.client,
                        description=f"File “{name}” ({human_size(upload.size)}) attached "
                                    f"to {record}")
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment):
    """Delete the row now and the stored file once the deletion is committed."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    record = attachment.record
    activity_record(actor=actor, event="attachment.deleted", record=record,
                    client=attachment.client,
                    description=f"File “{attachment.name}” removed"
                                + (f" from {record}" if record is not None else ""),
                    changes={"file": [attachment.name, None]})
    file_name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_files([file_name]))


def attachments_delete_for(records):
    """Remove the attachments of `records` (all of one model), e.g. before the records are
    deleted: the generic link does not cascade."""
    records = list(records)
    if not records:
        return
    rows = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(records[0]),
        object_id__in=[record.pk for record in records])
    names = list(rows.values_list("file", flat=True))
    rows.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names):
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def attachments_for(records):
    """{record: [its attachments, newest first]} for records of any models, in one query."""
    records = list(records)
    if not records:
        return {}
    pks_by_model = defaultdict(set)
    for record in records:
        pks_by_model[type(record)].add(record.pk)
    content_types = ContentType.objects.get_for_models(*pks_by_model)
    rows = Attachment.objects.filter(reduce(or_, (
        Q(content_type=content_types[model], object_id__in=pks)
        for model, pks in pks_by_model.items()))).select_related("uploaded_by")
    grouped = defaultdict(list)
    for attachment in rows:
        grouped[attachment.content_type_id, attachment.object_id].append(attachment)
    return {record: grouped[content_types[type(record)].pk, record.pk] for record in records}


# --- who may read a file -----------------------------------------------------------------

def _visible(manager, user, **lookup):
    return manager.visible_to(user).filter(**lookup).exists()


def _parent_field(model):
    """The foreign key through which a record without its own scope is checked."""
    for name in PARENT_FIELDS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.ForeignKey) and hasattr(
                field.related_model._default_manager, "visible_to"):
            return field
    return None


def record_visible(user, model, pk):
    """Whether `user` may see the record `model`/`pk`: through the model's own `visible_to`,
    else through its parent's (see PARENT_FIELDS). A model with neither is for superusers."""
    if model is None:
        return False
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return _visible(manager, user, pk=pk)
    field = _parent_field(model)
    if field is None:
        return False
    parent_pk = manager.filter(pk=pk).values_list(field.attname, flat=True).first()
    return parent_pk is not None and _visible(field.related_model._default_manager, user,
                                              pk=parent_pk)


def attachment_visible(user, attachment):
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if attachment.object_id is not None:
        return record_visible(user, attachment.content_type.model_class(),
                              attachment.object_id)
    if attachment.client_id is not None:
        return record_visible(user, Client, attachment.client_id)
    return False


def served_content_type(attachment):
    """PDFs and images keep their type (checked on upload); anything else is served as
    opaque bytes."""
    if attachment.mime_type in INLINE_TYPES:
        return attachment.mime_type
    return "application/octet-stream"
