from django.urls import path

from sales.views import portal as views

app_name = "portal"
urlpatterns = [
    path("contract/<str:token>/", views.contract, name="contract"),
    path("contract/<str:token>/sign", views.contract_sign, name="contract_sign"),
    path("contract/<str:token>/pdf", views.contract_pdf, name="contract_pdf"),
    path("<str:token>/", views.proposal, name="proposal"),
    path("<str:token>/pdf", views.proposal_pdf, name="proposal_pdf"),
    path("<str:token>/accept", views.proposal_accept, name="proposal_accept"),
    path("<str:token>/decline", views.proposal_decline, name="proposal_decline"),
    path("<str:token>/comment", views.proposal_comment, name="proposal_comment"),
]
