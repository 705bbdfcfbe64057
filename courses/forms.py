from django import forms


class SolutionForm(forms.Form):
    # The compiler enforces the real limit (100 KB of UTF-8); this only stops absurd posts early.
    code = forms.CharField(max_length=100_000, strip=False, widget=forms.Textarea)
    # How many checks failed before this one: one more hint is shown after each.
    failed_attempts = forms.IntegerField(min_value=0, max_value=1000, required=False)
