"""axe-core (static/vendor/axe-core, 4.14.1) on every page type, in headless Chromium: no serious or
critical violation of WCAG 2 A or AA. PAGE_TYPES is the one list of page types; add new ones there."""
import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db.models import Count

from accounts.roles import ANALYSTS
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, Entity
from search.models import SavedSearch

pytestmark = [pytest.mark.browser, pytest.mark.private, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and private pass"
AXE = "/static/vendor/axe-core/axe.min.js"
WCAG_2_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

# (page type, who looks at it: "analyst", "no group" (a 403) or "anonymous", its path; a callable takes the archive).
PAGE_TYPES = [
    ("home: digest list", "analyst", "/"),
    ("home: one year", "analyst", "/?year=2014"),
    ("digest", "analyst", lambda archive: archive.get_absolute_url()),
    ("digest, the first (no previous one)", "analyst", lambda archive: Digest.objects.earliest("date").get_absolute_url()),
    ("story", "analyst", lambda archive: archive.stories.get(position=2).get_absolute_url()),
    ("search with results", "analyst", "/search/?q=Aleppo&place=Syria&not_source=Reuters"),
    ("empty search", "analyst", "/search/?q=zzzznothing"),
    ("search error", "analyst", "/search/?q=%22Aleppo"),
    ("log in", "anonymous", "/accounts/login/"),
    ("my searches", "analyst", "/searches/"),
    ("entity index", "analyst", "/entities/?kind=place"),
    ("place page, with its map", "analyst", lambda archive: Entity.objects.get(kind="place", name="Aleppo").get_absolute_url()),
    ("actor page", "analyst", lambda archive: _most_mentioned("actor").get_absolute_url()),
    ("403", "no group", "/"),
]


def _most_mentioned(kind):
    return Entity.objects.filter(kind=kind).annotate(stories=Count("mentions")).order_by("-stories", "name").first()


@pytest.fixture
def archive(seed_path, fixtures_dir, fresh_index, roles, django_user_model):
    """The seed and digests months and years apart (the home page's calendar has empty months)."""
    ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    for name in ("2014-08-20-foley.eml", "2016-12-14-aleppo.html"):
        path = fixtures_dir / "digests" / name
        ingest_input(InputFile(path.name, path.read_bytes(), None))
    analyst = django_user_model.objects.create_user("analyst", password=PASSWORD)
    analyst.groups.add(Group.objects.get(name=ANALYSTS))
    django_user_model.objects.create_user("no group", password=PASSWORD)
    SavedSearch.objects.create(user=analyst, name="Aleppo", query="q=Aleppo", feed_token="t" * 43)
    return Digest.objects.get(date=datetime.date(2014, 11, 26))


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def serious_violations(page) -> list[str]:
    page.add_script_tag(url=AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_2_A_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(" ".join(node["target"]) + f" [{node['any'][0]['message'] if node['any'] else ''}]"
                                      for node in v["nodes"][:8])
        for v in result["violations"] if v["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("who", ["analyst", "anonymous", "no group"])
def test_no_page_type_has_a_serious_or_critical_wcag_violation(live_server, archive, chromium, who):
    pages = [(name, path) for name, viewer, path in PAGE_TYPES if viewer == who]
    context = chromium.new_context()
    try:
        page = context.new_page()
        if who != "anonymous":
            log_in(page, live_server.url, who)
        found = {}
        for name, path in pages:
            response = page.goto(live_server.url + (path(archive) if callable(path) else path))
            assert response.status == (403 if who == "no group" else 400 if name == "search error" else 200), name
            found[name] = serious_violations(page)
    finally:
        context.close()
    assert not any(found.values()), "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)
