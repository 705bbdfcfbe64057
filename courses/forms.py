from django import forms
from django.utils.html import format_html_join

from compiler.checks import attempt_tests
from courses.models import Lesson


class SolutionForm(forms.Form):
    # The compiler enforces the real limit (100 KB of UTF-8); this only stops absurd posts early.
    code = forms.CharField(max_length=100_000, strip=False, widget=forms.Textarea)
    # How many checks failed before this one: one more hint is shown after each.
    failed_attempts = forms.IntegerField(min_value=0, max_value=1000, required=False)


class LessonAdminForm(forms.ModelForm):
    """The admin's lesson form: an exercise is saved only when its reference solution passes
    every one of its tests and its starter does not, run with the real compiler and EVM."""

    class Meta:
        model = Lesson
        fields = (
            "course",
            "position",
            "slug",
            "title",
            "xp_reward",
            "published",
            "body",
            "starter_code",
            "tests",
            "solution",
            "hints",
        )

    def clean(self):
        cleaned = super().clean()
        tests = (cleaned.get("tests") or "").strip()
        solution = cleaned.get("solution") or ""
        hints = cleaned.get("hints")
        if hints is not None and not (
            isinstance(hints, list) and all(isinstance(hint, str) for hint in hints)
        ):
            self.add_error("hints", 'Hints are a JSON list of texts: ["first", "second"].')
        if not tests:
            return cleaned
        if not solution.strip():
            self.add_error("solution", "An exercise needs a reference solution that passes it.")
            return cleaned
        attempt = attempt_tests(
            source=solution, tests=cleaned["tests"], requester=None, reference=solution
        )
        run = attempt.result
        if run is None:
            raise forms.ValidationError(f"The tests could not be run: {attempt.problem}")
        if run.problem or run.test_errors or not run.compiled:
            details = [run.problem, *run.test_errors, *(e["message"] for e in run.errors)]
            self.add_error("tests", _listing("The tests do not run:", [d for d in details if d]))
        elif not run.tests:
            self.add_error("tests", "The test file has no test functions (test_...).")
        elif not run.passed:
            self.add_error(
                "solution",
                _listing(
                    "The reference solution fails the tests:",
                    [f"{t.name}: {t.message}" for t in run.tests if not t.passed],
                ),
            )
        starter = cleaned.get("starter_code") or ""
        if run.passed and starter.strip():
            checked = attempt_tests(
                source=starter, tests=cleaned["tests"], requester=None, reference=solution
            ).result
            if checked is not None and checked.passed:
                self.add_error("starter_code", "The starter passes every test: it must fail one.")
        return cleaned


def _listing(title, lines):
    return format_html_join("", "{}<br>", [(title,), *((f"· {line}",) for line in lines)])
