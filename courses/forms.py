from django import forms


class SolutionForm(forms.Form):
    # The compiler enforces the real limit (100 KB of UTF-8); this only stops absurd posts early.
    code = forms.CharField(max_length=100_000, strip=False, widget=forms.Textarea)
