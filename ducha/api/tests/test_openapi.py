def test_it_publishes_the_schema_with_every_endpoint(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/orgs/units": {"get", "post"},
        "/api/orgs/units/{unit_id}": {"get", "patch", "delete"},
        "/api/orgs/units/{unit_id}/move": {"post"},
        "/api/orgs/units/{unit_id}/children": {"get"},
        "/api/orgs/people": {"get", "post"},
        "/api/orgs/people/{person_id}": {"get", "patch", "delete"},
        "/api/orgs/places": {"get", "post"},
        "/api/orgs/places/{place_id}": {"get", "patch", "delete"},
        "/api/me": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
    schemes = response.json()["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} >= {"http", "apiKey"}
