from django import forms

from courses.models import Lesson


class RoomForm(forms.Form):
    title = forms.CharField(max_length=120, strip=True)
    # Chosen on the lesson page ("Work on it in a room"), never from a list of every lesson.
    lesson = forms.ModelChoiceField(
        queryset=Lesson.objects.of_published_courses().select_related("course"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That lesson does not exist."},
    )


class MessageForm(forms.Form):
    body = forms.CharField(max_length=2000, strip=True, widget=forms.Textarea(attrs={"rows": 2}))


class CodeForm(forms.Form):
    code = forms.CharField(max_length=100_000, required=False, strip=False, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
