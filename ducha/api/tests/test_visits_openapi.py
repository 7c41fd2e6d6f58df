def test_it_publishes_the_visit_endpoints(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/visits/": {"get", "post"},
        "/api/visits/{visit_id}": {"get", "delete"},
        "/api/visits/{visit_id}/photos": {"post"},
        "/api/visits/checklists": {"get"},
        "/api/visits/contact-assignments": {"get"},
        "/api/visits/quotas": {"get"},
        "/api/visits/quotas/{quota_id}/attainment": {"get"},
        "/api/visits/study-records": {"get", "post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
