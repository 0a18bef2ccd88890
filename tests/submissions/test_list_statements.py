"""A unit's submissions: as many statements for 4 rows as for 2."""

from tests.statements import statements_per_page_size


def test_the_submission_list_makes_as_many_statements_whatever_its_page_size(
    app, client, login, designer, make_submission, advance, reviewer
):
    for n in range(5):
        submission = make_submission(designer, title=f"Pano {n}")
        if n % 2:
            advance(submission, "submitted", designer, reviewer)
    login(designer)
    counts = statements_per_page_size(app, client, "/submissions/")
    assert len(counts[2]) == len(counts[4])
