import json

import pytest

from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member


@pytest.fixture
def county_admin(tree):
    """A system administrator whose role is at the county bureau, not the city."""
    return make_member("countyadmin", tree.county, Role.SYSTEM_ADMIN, name="区管理员").user


class JsonClient:
    """The test client speaking JSON, logged in as one user."""

    def __init__(self, client, user=None, **headers):
        self.client = client
        self.headers = headers
        if user is not None:
            client.force_login(user)

    def get(self, path, params=None):
        return self.client.get(path, params or {}, headers=self.headers)

    def _send(self, method, path, data):
        return getattr(self.client, method)(
            path, json.dumps(data), content_type="application/json", headers=self.headers
        )

    def post(self, path, data=None):
        return self._send("post", path, data or {})

    def patch(self, path, data=None):
        return self._send("patch", path, data or {})

    def delete(self, path):
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def api_as(client):
    """api_as(user) → a JSON client logged in as `user` (session auth)."""

    def make(user=None, **headers):
        client.logout()
        return JsonClient(client, user, **headers)

    return make
