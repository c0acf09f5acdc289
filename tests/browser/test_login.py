import pytest

pytestmark = pytest.mark.browser


def test_staff_member_logs_in_and_sees_the_queue(seeded_lists, login, live_server, artifacts):
    from tests.factories import UserFactory

    user = UserFactory(username="lin", role="staff")
    page = login(user)
    assert page.get_by_role("heading", level=1).is_visible()
    page.screenshot(path=str(artifacts / "login-queue.png"))
