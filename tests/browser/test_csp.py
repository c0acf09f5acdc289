"""The pages work under the Content-Security-Policy: no blocked scripts anywhere."""

import pytest

pytestmark = pytest.mark.browser


def test_pages_run_without_csp_violations(seeded_lists, login, live_server, page, admin_user):
    from tests.factories import UserFactory, make_complaint

    staff = UserFactory(username="lin", role="staff")
    complaint = make_complaint(by=staff)
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )

    login(staff)
    for path in ["/", "/complaints/new/", f"/complaints/{complaint.pk}/", "/api/docs/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    # Swagger UI is drawn by its own script files, so it must have rendered.
    assert page.locator(".swagger-ui").first.is_visible()
    page.goto(live_server.url + "/submit/")
    assert violations == []
