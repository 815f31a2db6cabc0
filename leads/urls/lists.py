from django.urls import path

from ..views import board, lists

urlpatterns = [
    path("leads", board.board, name="board"),
    path("leads/list", lists.lead_list, name="list"),
    path("leads/board/<int:status_pk>", board.column, name="column"),
    path("leads/<int:pk>/move", board.move, name="move"),
    path("leads/bulk", lists.lead_bulk, name="bulk"),
    path("leads/export", lists.lead_export, name="export"),
    path("opportunities", lists.opportunity_list, name="opportunities"),
    path("opportunities/export", lists.opportunity_export, name="opportunities_export"),
]
