from django.db import migrations

DEFAULTS = [
    ("first-lesson", "First steps", "Completed a first lesson.", 10, "first_lesson", 0),
    (
        "first-course",
        "Course finisher",
        "Completed every lesson of a course.",
        50,
        "first_course",
        0,
    ),
    ("xp-100", "Getting warm", "Reached 100 XP.", 5, "xp_threshold", 100),
    ("xp-500", "On a roll", "Reached 500 XP.", 25, "xp_threshold", 500),
    ("xp-1000", "Solidity regular", "Reached 1,000 XP.", 50, "xp_threshold", 1000),
    ("streak-3", "Three-day streak", "Completed lessons on three days in a row.", 30, "streak", 3),
    ("first-chat", "Say hello", "Posted a first chat message in a room.", 5, "first_chat", 0),
]


def create_defaults(apps, schema_editor):
    Achievement = apps.get_model("leaderboard", "Achievement")
    for code, name, description, xp_bonus, rule, threshold in DEFAULTS:
        Achievement.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "xp_bonus": xp_bonus,
                "rule": rule,
                "threshold": threshold,
            },
        )


def remove_defaults(apps, schema_editor):
    Achievement = apps.get_model("leaderboard", "Achievement")
    Achievement.objects.filter(code__in=[row[0] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("leaderboard", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
