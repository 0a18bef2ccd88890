"""Admin changes survive `flask registry init`, which every ./scripts/serve runs again."""

from registry.extensions import db
from registry.refdata import load_reference_data
from tests.factories import campaign, unit


def test_a_renamed_shipped_unit_keeps_its_name_after_reloading_reference_data(client, admin, post):
    target = unit("30430")
    post(f"/admin/units/{target.id}/edit", {"name": "Xã Hòa Lạc (mới)"})
    load_reference_data()
    db.session.commit()
    db.session.expire_all()
    assert unit("30430").name == "Xã Hòa Lạc (mới)"


def test_a_corrected_sample_slogan_is_not_added_again_by_reloading_reference_data(
    client, admin, post
):
    slogan = campaign().slogans[3]
    post(f"/admin/slogans/{slogan.id}/edit", {"text": slogan.text + "!"})
    load_reference_data()
    db.session.commit()
    db.session.expire_all()
    assert len(campaign().slogans) == 4


def test_a_corrected_campaign_title_survives_reloading_reference_data(client, admin, post):
    c = campaign()
    new_title = c.title.replace("288-KL/TW", "228-KL/TW")
    post(
        f"/admin/campaigns/{c.id}",
        {"title": new_title, "legal_basis": c.legal_basis, "starts_on": "2026-01-01"},
    )
    load_reference_data()
    db.session.commit()
    db.session.expire_all()
    assert campaign().title == new_title
