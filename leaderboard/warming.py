from core import warming


@warming.register
def leaderboard_paths():
    return ["/leaderboard/", "/api/leaderboard"]
