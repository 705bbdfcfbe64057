from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_http_methods, require_POST, require_safe

from collaboration import chat, listing, pages
from collaboration.forms import CodeForm, MessageForm, RoomForm
from collaboration.limits import admit_chat, admit_room
from collaboration.models import Room
from collaboration.services import create_room, join_room, post_message, save_code
from compiler.services import attempt_compile
from core.http import client_ip, requester_key
from core.throttle import describe_wait
from courses.explanations import explain_attempt
from courses.models import Lesson

# How long the edge may hand the same chat list to a room's pollers (the page polls every 3 s).
CHAT_POLL_SHARED_SECONDS = 1


@require_http_methods(["GET", "POST"])
def rooms(request):
    """The open rooms, most recently active first, a page at a time (`?after=` a cursor), and
    the form that starts one."""
    try:
        after = listing.parse_cursor(request.GET.get("after"))
    except ValueError:
        raise Http404("No such page of rooms.") from None
    form = RoomForm(
        request.POST if request.method == "POST" else None,
        initial={"lesson": request.GET.get("lesson")},
    )
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        if form.is_valid():
            wait = admit_room(learner_id=request.user.pk, ip=client_ip(request))
            if not wait:
                room = create_room(
                    owner=request.user,
                    title=form.cleaned_data["title"],
                    lesson=form.cleaned_data["lesson"],
                )
                return redirect(room)
            form.add_error(
                None, f"You started many rooms lately: try again in {describe_wait(wait)}."
            )
            status = 429
    chosen = form.data.get("lesson") if form.is_bound else form.initial.get("lesson")
    return render(
        request,
        "collaboration/rooms.html",
        {
            **listing.context(after),
            "form": form,
            "lesson": Lesson.objects.published_by_key(chosen),
        },
        status=status,
    )


def _active_room(slug, viewer):
    room = pages.room_for_page(slug, viewer)
    if room is None:
        raise Http404("No active room has that address.")
    return room


def _room(slug):
    return get_object_or_404(Room.objects.active().for_chat(), slug=slug)


def _render_room(request, room, *, code_form=None, attempt=None):
    if code_form is None:
        code_form = CodeForm(initial={"code": room.code, "version": room.code_version})
    response = render(
        request,
        "collaboration/room.html",
        {
            **chat.context(room, chat.version_of(room)),
            "message_form": MessageForm(),
            "code_form": code_form,
            "attempt": attempt,
            "can_edit": room.editable,
        },
        status=attempt.status if attempt is not None else 200,
    )
    if attempt is not None:
        for name, value in attempt.headers.items():
            response[name] = value
    return response


@require_safe
def room_detail(request, room):
    return _render_room(request, _active_room(room, request.user))


def _chat_version(request, room):
    """The chat's version, read once per request: it is both the ETag that answers a poll with
    304 and the key of the shared chat fragment. Moderation changes it too."""
    if not hasattr(request, "chat_version"):
        request.chat_version = chat.version_of(room)
    return request.chat_version


@require_safe
@cache_control(public=True, max_age=0, s_maxage=CHAT_POLL_SHARED_SECONDS)
@condition(etag_func=_chat_version)
def room_messages(request, room):
    """The chat list alone, polled by the room page; answers 304 while nothing is new.

    The same for everyone in the room, so the edge may answer the room's pollers from one copy
    for a second (deploy/nginx.conf lists this path as shared); browsers revalidate every time.
    """
    room = _room(room)
    return render(
        request,
        "collaboration/_messages.html",
        chat.context(room, _chat_version(request, room.slug)),
    )


@require_POST
@login_required
def room_post_message(request, room):
    room = _room(room)
    form = MessageForm(request.POST)
    status = 200 if form.is_valid() else 400
    if form.is_valid():
        wait = admit_chat(learner_id=request.user.pk, ip=client_ip(request))
        if wait:
            form.add_error("body", f"Too many messages at once: wait {describe_wait(wait)}.")
            status = 429
        else:
            post_message(room=room, author=request.user, body=form.cleaned_data["body"])
    if request.headers.get("HX-Request"):
        return render(
            request,
            "collaboration/_messages.html",
            {
                **chat.context(room, chat.version_of(room)),
                "message_errors": form.errors.get("body"),
            },
            status=status,
        )
    if status == 429:  # the room again, saying so: a redirect would hide the status
        messages.error(request, "Message not sent: " + " ".join(form.errors["body"]))
        response = _render_room(request, _active_room(room.slug, request.user))
        response.status_code = 429
        return response
    if not form.is_valid():
        messages.error(request, "Message not sent: " + " ".join(form.errors["body"]))
    return redirect(room)


@require_POST
@login_required
def room_join(request, room):
    room = _room(room)
    join_room(room=room, user=request.user)
    messages.success(request, "You joined this room: you can edit its code.")
    return redirect(room)


@require_POST
@login_required
def room_save_code(request, room):
    """Saves the shared code; only the owner and members may (anyone else: 403, nothing saved)."""
    room = _room(room)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The code was not saved: " + form.errors.as_text())
    elif (
        save_code(
            room=room,
            editor=request.user,
            code=form.cleaned_data["code"],
            base_version=form.cleaned_data["version"],
        )
        is not None
    ):
        messages.success(request, "Code saved.")
    else:
        messages.error(
            request, "Someone saved newer code while you were editing; it is shown below."
        )
    return redirect(room)


@require_POST
def room_compile(request, room):
    """Compiles the code posted from the room's editor (saved or not) and shows the result with
    that code still in the editor. Open to visitors too: the compile budget is per IP for them."""
    room = _active_room(room, request.user)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was compiled: " + form.errors.as_text())
        return redirect(room)
    attempt = explain_attempt(
        attempt_compile(source=form.cleaned_data["code"], requester=requester_key(request))
    )
    return _render_room(request, room, code_form=form, attempt=attempt)
