"""What the proposals, orders and contracts lists filter alike: the agent ("me" or a colleague,
only for users who see everyone's documents), the client (a link from a client's page), the
currency and the period. Each list's own filters come first on the form, these after them and
the sort last."""

import django_filters
from django import forms

from crmconnect.company.models import CURRENCY_CHOICES
from leads.filters import ME
from leads.forms import DateInput, active_staff


class DocumentFilter(django_filters.FilterSet):
    assigned = django_filters.ChoiceFilter(label="Agent", method="filter_agent",
                                           empty_label="Anyone")
    currency = django_filters.ChoiceFilter(choices=CURRENCY_CHOICES, empty_label="Any currency")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte",
                                          label="Dated from", widget=DateInput)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte",
                                        label="Dated until", widget=DateInput)
    # A link from a client's page; the client's name shows above the list, not as a dropdown.
    client = django_filters.NumberFilter(field_name="client_id", widget=forms.HiddenInput)

    # The list's search function, queryset -> queryset, and its named views
    # {value: (label, queryset -> queryset)}.
    search = None
    views = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shared = DocumentFilter.base_filters
        self.filters = dict(sorted(self.filters.items(),
                                   key=lambda entry: (entry[0] == "o", entry[0] in shared)))
        opts = self._meta.model._meta
        if "assigned" not in self.filters:
            return  # records without an agent (the payments list declares `assigned = None`)
        if self.request.user.has_perm(f"{opts.app_label}.view_all_{opts.model_name}"):
            self.filters["assigned"].extra["choices"] = [
                (ME, "Me"), *((str(person.pk), str(person)) for person in active_staff())]
        else:
            # Own scope: the user's documents are all there is to see.
            del self.filters["assigned"]

    def filter_search(self, queryset, name, value):
        return self.search(queryset, value)

    def filter_view(self, queryset, name, value):
        return self.views[value][1](queryset)

    def filter_agent(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assigned_to=self.request.user)
        return queryset.filter(assigned_to_id=value)


def view_choices(views):
    return [(key, label) for key, (label, _) in views.items()]
