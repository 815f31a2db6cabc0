"""Changes to the leads configuration (pipelines, statuses, sources, lost reasons, opportunity
statuses, custom fields) and to tags: one transaction each, with a line in the activity log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q

from crmconnect.activity.services import activity_record, apply_changes

from .models import (
    CustomField,
    LeadSource,
    LeadStatus,
    LostReason,
    OpportunityStatus,
    Pipeline,
    Tag,
)

CONFIG_FIELDS = {
    Pipeline: ["name", "order", "is_default", "active"],
    LeadStatus: ["pipeline", "name", "order", "color"],
    LeadSource: ["name", "active"],
    LostReason: ["name", "active"],
    OpportunityStatus: ["name", "order", "color", "outcome"],
    CustomField: ["label", "key", "field_type", "choices", "required", "order", "active"],
}

# What refuses a delete: the related name of the leads that use a row, and what to do instead.
IN_USE = {
    Pipeline: ("leads", "leads are in this pipeline: move them to another pipeline, or "
                        "deactivate it"),
    LeadStatus: ("leads", "leads are in this status: move them to another status first"),
    LostReason: ("leads", "lost leads give this reason: deactivate it instead"),
    OpportunityStatus: ("opportunities", "opportunities are in this status: move them to "
                                         "another status first"),
}


def _check(actor, action, model):
    if not actor.has_perm(f"leads.{action}_{model._meta.model_name}"):
        raise PermissionDenied


def _noun(model):
    return model._meta.verbose_name.capitalize()


def _log(actor, item, verb, changes=None):
    activity_record(actor=actor, event=f"lead_config.{verb}", record=item,
                    description=f"{_noun(type(item))} “{item}” {verb}", changes=changes)


def _save(item, *, was_default=False, old_pipeline_id=None):
    """Validate and save, keeping the rules that span rows: exactly one default pipeline,
    which is active, and no status with leads moved to another pipeline."""
    if isinstance(item, Pipeline):
        _check_default(item, was_default)
    if (isinstance(item, LeadStatus) and old_pipeline_id
            and item.pipeline_id != old_pipeline_id and item.leads.exists()):
        raise ValidationError({"pipeline": "Leads are in this status, so it stays in its "
                                           "pipeline: add a new status to the other one."})
    item.full_clean()
    item.save()


def _check_default(pipeline, was_default):
    others = Pipeline.objects.select_for_update().filter(is_default=True).exclude(pk=pipeline.pk)
    if was_default and not pipeline.is_default:
        raise ValidationError({"is_default": "There must be a default pipeline: make another "
                                             "pipeline the default instead."})
    if not pipeline.is_default and not others.exists():
        pipeline.is_default = True
    if pipeline.is_default and not pipeline.active:
        raise ValidationError({"active": "The default pipeline must be active."})
    if pipeline.is_default:
        others.update(is_default=False)


@transaction.atomic
def config_item_create(*, actor, model, **values):
    """A new configuration row of `model`. The first pipeline becomes the default one."""
    _check(actor, "add", model)
    item = model()
    apply_changes(item, values, CONFIG_FIELDS[model])
    _save(item)
    _log(actor, item, "created")
    return item


@transaction.atomic
def config_item_update(*, actor, item, **values):
    model = type(item)
    _check(actor, "change", model)
    item = model.objects.select_for_update().get(pk=item.pk)
    was_default = getattr(item, "is_default", False)
    old_pipeline_id = getattr(item, "pipeline_id", None)
    changes = apply_changes(item, values, CONFIG_FIELDS[model])
    _save(item, was_default=was_default, old_pipeline_id=old_pipeline_id)
    if changes:
        _log(actor, item, "updated", changes)
    return item


@transaction.atomic
def config_item_delete(*, actor, item):
    """Delete a row nothing refers to; a row that leads use is refused with the reason."""
    model = type(item)
    _check(actor, "delete", model)
    item = model.objects.select_for_update().get(pk=item.pk)
    if getattr(item, "is_default", False):
        raise ValidationError("The default pipeline cannot be deleted: make another pipeline "
                              "the default first.")
    name = str(item)
    related, reason = IN_USE.get(model, (None, "records use it"))
    # Asked first: a ProtectedError would load every protecting lead.
    if related and getattr(item, related).exists():
        raise ValidationError(f"“{name}” cannot be deleted: {reason}.")
    try:
        item.delete()
    except ProtectedError as exc:
        raise ValidationError(f"“{name}” cannot be deleted: {reason}.") from exc
    activity_record(actor=actor, event="lead_config.deleted",
                    description=f"{_noun(model)} “{name}” deleted",
                    changes={"name": [name, None]})


def tag_names(text):
    """The tag names of a comma-separated text: stripped, without empty ones, each name once
    whatever its case (the first spelling wins)."""
    names = {}
    for part in text.split(","):
        name = part.strip()
        if name and name.casefold() not in names:
            names[name.casefold()] = name
    return list(names.values())


def tags_existing(names):
    """The existing tags among `names`, matched case-insensitively, by folded name."""
    if not names:
        return {}
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    return {tag.name.casefold(): tag for tag in Tag.objects.filter(query)}


@transaction.atomic
def tags_get_or_create(*, actor, names):
    """The tags named `names`; the missing ones are created when the actor may add tags."""
    existing = tags_existing(names)
    missing = [name for name in names if name.casefold() not in existing]
    if missing and not actor.has_perm("leads.add_tag"):
        raise ValidationError({"tags": f"Unknown tag{'s' if len(missing) > 1 else ''}: "
                                       f"{', '.join(missing)}. Use existing tags only."})
    tags = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = Tag.objects.create(name=name)
            activity_record(actor=actor, event="lead_config.created", record=tag,
                            description=f"Tag “{tag}” created")
        tags.append(tag)
    return tags
