from django.urls import path

from pathcraft.growth import views

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("delegation/", views.delegation, name="delegation"),
    path("handover/<int:leave_id>/", views.handover, name="handover"),
    path("people/<int:person_id>/", views.growth_page, name="person"),
    path("changes/<int:change_id>/consent/", views.consent, name="consent"),
    path("1on1/<int:rel_id>/", views.one_on_one, name="one-on-one"),
    path("1on1/<int:rel_id>/agenda/", views.agenda_add, name="agenda-add"),
    path("1on1/<int:rel_id>/agenda/<int:item_id>/done/", views.agenda_done, name="agenda-done"),
    path("1on1/<int:rel_id>/actions/", views.action_add, name="action-add"),
    path("1on1/<int:rel_id>/actions/<int:item_id>/done/", views.action_done, name="action-done"),
    path("1on1/<int:rel_id>/notes/", views.note_add, name="note-add"),
    path("1on1/<int:rel_id>/discussed/", views.discussed, name="discussed"),
    path("1on1/<int:rel_id>/prompt/", views.prompt, name="prompt"),
    path("1on1/<int:rel_id>/occurrences/<int:occ_id>/", views.occurrence, name="occurrence"),
    path("1on1/<int:rel_id>/check-in/", views.check_in, name="check-in"),
]
