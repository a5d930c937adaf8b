"""Template context: the signed-in person, for navigation."""


def viewer(request):
    user = getattr(request, "user", None)
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    return {"viewer_person": person}
