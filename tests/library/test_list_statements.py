"""The library's statements: as many for 4 rows as for 2, for a locality and for a reviewer."""

import pytest

from registry.extensions import db
from tests.statements import statements_per_page_size


@pytest.mark.parametrize("role", ["locality_a", "reviewer"])
def test_the_library_makes_as_many_statements_whatever_its_page_size(
    app, client, login, people, approve, role
):
    for n in range(5):
        if n % 2:
            approve(people["designer_so"], title=f"Mẫu chung {n}", scope="province")
        else:
            approve(people["designer_a"], title=f"Pano {n}")
    approve(people["designer_b"], title="Pano của đơn vị khác")
    db.session.commit()
    login(people[role])
    counts = statements_per_page_size(app, client, "/library/")
    assert len(counts[2]) == len(counts[4])
    every = client.get("/library/").get_data(as_text=True)
    assert ("Pano của đơn vị khác" in every) == (role == "reviewer")


def test_a_localitys_pager_counts_its_units_assets_and_the_province_templates(
    app, client, login, people, approve
):
    approve(people["designer_a"], title="Pano A")
    approve(people["designer_a"], title="Băng rôn A", fmt="bang_ron", width_cm=800, height_cm=80)
    approve(people["designer_so"], title="Pano chung", scope="province")
    approve(
        people["designer_so"],
        title="Băng rôn chung",
        scope="province",
        fmt="bang_ron",
        width_cm=800,
        height_cm=80,
    )
    approve(people["designer_b"], title="Pano B")
    approve(people["designer_b"], title="Băng rôn B", fmt="bang_ron", width_cm=800, height_cm=80)
    db.session.commit()
    login(people["locality_a"])
    app.config["REGISTRY_PAGE_SIZE"] = 1
    try:
        pages = {
            url: client.get(url).get_data(as_text=True)
            for url in ("/library/", "/library/?format=bang_ron", "/library/?q=chung")
        }
    finally:
        app.config["REGISTRY_PAGE_SIZE"] = 25
    assert "Trang 1/4 · 4 mục" in pages["/library/"]
    assert "Trang 1/2 · 2 mục" in pages["/library/?format=bang_ron"]
    assert "Trang 1/2 · 2 mục" in pages["/library/?q=chung"]
