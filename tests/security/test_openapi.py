"""The OpenAPI document is true: 405s name every method of the path, 422 bodies have the
documented shape, and the statuses an operation can answer are documented."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_405_names_every_method_of_the_path(client: TestClient) -> None:
    response = client.options("/api/logs")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST"}
    one = client.delete("/api/profile")
    assert one.status_code == 405
    assert set(one.headers["allow"].split(", ")) == {"GET", "PUT"}


def test_the_documented_422_is_the_one_sent(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schema = document["components"]["schemas"]["HTTPValidationError"]
    item = schema["properties"]["detail"]["items"]
    assert item == {"$ref": "#/components/schemas/FieldError"}
    assert set(document["components"]["schemas"]["FieldError"]["required"]) == {
        "field",
        "message",
        "accepted",
    }
    sent = client.get("/api/logs", params={"limit": 0}).json()["detail"][0]
    assert set(sent) == {"field", "message", "accepted"}


def test_body_errors_are_documented(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    post_logs = document["paths"]["/api/logs"]["post"]["responses"]
    assert {"400", "413", "422"} <= set(post_logs)
    unparseable = client.post(
        "/api/logs", content=b"\x16\xff", headers={"Content-Type": "application/json"}
    )
    assert str(unparseable.status_code) in post_logs
