"""What `courses` tells the rest of the site. Sent inside the completing transaction, so a
receiver's writes (achievements, their XP bonus) commit or roll back together with the lesson."""

from django.dispatch import Signal

# kwargs: user_id, lesson_id, completed_at, xp (the learner's XP with the lesson's reward)
lesson_completed = Signal()
# kwargs: user_id, course_id
course_completed = Signal()
# A receiver that may have changed the learner's XP (it granted an achievement) returns
# something true, so that the completing service reads the learner's XP and level again; the
# others return a false value, and the service keeps the XP and level its own award returned.
