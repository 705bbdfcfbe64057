from django import forms

from courses.models import Lesson


class RoomForm(forms.Form):
    title = forms.CharField(max_length=120, strip=True)
    lesson = forms.ModelChoiceField(
        queryset=Lesson.objects.of_published_courses().select_related("course").in_order(),
        required=False,
        empty_label="No lesson",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].label_from_instance = lambda lesson: (
            f"{lesson.course.title} · {lesson.title}"
        )


class MessageForm(forms.Form):
    body = forms.CharField(max_length=2000, strip=True, widget=forms.Textarea(attrs={"rows": 2}))


class CodeForm(forms.Form):
    code = forms.CharField(max_length=100_000, required=False, strip=False, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
