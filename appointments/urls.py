from django.urls import path

from appointments.views import actions, calendar, feeds, office

app_name = "appointments"

urlpatterns = [
    path("", calendar.CalendarView.as_view(), name="calendar"),
    path("termin/<int:pk>/buchen/", actions.as_post_view(actions.book), name="book"),
    path("termin/<int:pk>/zurueckziehen/", actions.as_post_view(actions.withdraw), name="withdraw"),
    path("termine/anbieten/", actions.as_post_view(actions.publish), name="publish"),
    path("termine/serie/", actions.as_post_view(actions.publish_series), name="publish_series"),
    path("einstellungen/", actions.as_post_view(actions.calendar_settings), name="settings"),
    path("buchung/<int:pk>/absagen/", actions.as_post_view(actions.cancel), name="cancel"),
    path(
        "buchung/<int:pk>/verschieben/", actions.as_post_view(actions.reschedule), name="reschedule"
    ),
    path("buchung/<int:pk>/stattgefunden/", actions.as_post_view(actions.held), name="held"),
    path(
        "buchung/<int:pk>/nicht-erschienen/", actions.as_post_view(actions.no_show), name="no_show"
    ),
    path("abo/erneuern/", actions.as_post_view(actions.renew_feed), name="renew_feed"),
    path("abo/<str:token>.ics", feeds.FeedView.as_view(), name="feed"),
    path("buero/", office.OfficeView.as_view(), name="office"),
    path("buero/export.csv", office.OfficeCsvView.as_view(), name="office_csv"),
]
