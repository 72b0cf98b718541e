from django.urls import path

from programme_work.views import admission, events, plans, reports

app_name = "programme_work"

urlpatterns = [
    path("faelle/<int:pk>/plan/", plans.PlanView.as_view(), name="plan"),
    path(
        "meilensteine/<int:pk>/bearbeiten/",
        plans.MilestoneActionView.as_view(kind="edit"),
        name="milestone_edit",
    ),
    path(
        "meilensteine/<int:pk>/erledigt/",
        plans.MilestoneActionView.as_view(kind="done"),
        name="milestone_done",
    ),
    path(
        "meilensteine/<int:pk>/entfallen/",
        plans.MilestoneActionView.as_view(kind="drop"),
        name="milestone_drop",
    ),
    path(
        "meilensteine/<int:pk>/verschieben/",
        plans.MilestoneMoveView.as_view(),
        name="milestone_move",
    ),
    path(
        "gruppen/<int:pk>/entfernen/", plans.GroupMemberDeleteView.as_view(), name="member_delete"
    ),
    path("plaene/", reports.ProgressView.as_view(), name="progress"),
    path("programme/<int:pk>/anwesenheit/", reports.AttendanceView.as_view(), name="attendance"),
    path(
        "antraege/<int:pk>/voraussetzungen/",
        admission.PrerequisitesView.as_view(),
        name="prerequisites",
    ),
    path("beschluesse/<int:pk>/", admission.DecisionDownloadView.as_view(), name="decision_file"),
    path("veranstaltungen/", events.EventListView.as_view(), name="events"),
    path("veranstaltungen/neu/", events.EventCreateView.as_view(), name="event_create"),
    path("veranstaltungen/<int:pk>/", events.EventDetailView.as_view(), name="event_detail"),
]
