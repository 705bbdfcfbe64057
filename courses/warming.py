from core import warming
from courses import catalog


@warming.register
def catalog_paths():
    paths = ["/", "/courses/", "/api/courses"]
    for course in catalog.published_courses():
        paths.append(course.get_absolute_url())
        _, lessons = catalog.course_outline(course.slug)
        paths += [f"/courses/{course.slug}/{lesson.slug}/" for lesson in lessons]
    return paths
