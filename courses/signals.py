"""What `courses` tells the rest of the site. Sent inside the completing transaction, so a
receiver's writes (achievements, their XP bonus) commit or roll back together with the lesson."""

from django.dispatch import Signal

# kwargs: user_id, lesson_id, completed_at, xp (the learner's XP with the lesson's reward)
lesson_completed = Signal()
# kwargs: user_id, course_id
course_completed = Signal()
