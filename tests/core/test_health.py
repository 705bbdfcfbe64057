def test_health_answers_ok_without_touching_the_database(client):
    # No django_db mark: any query in this request would raise "Database access not allowed".
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "max-age=0" in response["Cache-Control"]
