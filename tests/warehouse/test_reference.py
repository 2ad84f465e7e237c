"""The reference data from the core (``registry``) as the warehouse holds it, and the views that read the
national thresholds and the Annex I elements through it rather than writing them again."""

from __future__ import annotations

import polars as pl

from quality import checks
from registry.annex_i import ANNEX_I, PROGRAMME_MANDATORY
from registry.institutions import FLANDERS, INSTITUTIONS, NETHERLANDS
from registry.tables import INSTITUTION
from warehouse.dictionary import empty_warehouse
from warehouse.publish import _reference_tables


def warehouse_with(programmes: list[tuple[str, str, float | None, int | None, bool]]):
    """An empty warehouse with the reference tables and programmes (id, institution, credits, hours,
    hours derived) of 2024."""
    con = empty_warehouse()
    _reference_tables(con)
    for registry_id, institution, credits, hours, derived in programmes:
        con.execute(
            "INSERT INTO programme BY NAME SELECT ? AS registry_id, ? AS institution_id, 2024 AS academic_year, "
            "'https://x' AS url, 'https://x' AS source_url, 'r' AS run_id, ? AS credits_ects, "
            "? AS study_hours, ? AS study_hours_derived, 'T' AS title",
            [registry_id, institution, credits, hours, derived],
        )
    return con


def test_the_institution_table_is_the_core_row_for_row():
    con = warehouse_with([])
    rows = con.execute(f"SELECT {', '.join(INSTITUTION.names)} FROM institution ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == sorted(INSTITUTIONS)
    ugent = dict(zip(INSTITUTION.names, rows[[r[0] for r in rows].index("ugent")], strict=True))
    assert (ugent["country"], ugent["credits_min"], ugent["credits_max"]) == ("BE", 3, 20)
    assert (ugent["hours_per_credit_min"], ugent["hours_per_credit_max"]) == (25, 30)
    rug = dict(zip(INSTITUTION.names, rows[[r[0] for r in rows].index("rug")], strict=True))
    assert (rug["credits_max"], rug["hours_per_credit_min"], rug["hours_per_credit_max"]) == (30, 28, 28)


def side_by_side(con) -> dict:
    return dict(
        zip(
            [d[0] for d in con.execute("SELECT * FROM rules_side_by_side").description],
            con.execute("SELECT * FROM rules_side_by_side WHERE institution_id = 'ugent'").fetchone(),
            strict=True,
        )
    )


def test_rules_side_by_side_applies_both_national_rules_to_every_programme():
    con = warehouse_with(
        [
            ("ugent:a", "ugent", 2, None, True),  # below both
            ("ugent:b", "ugent", 20, 500, False),  # 25 h per credit: Flemish band only
            ("ugent:c", "ugent", 25, 700, False),  # above the Flemish size, inside the Dutch; 28 h per credit
            ("ugent:d", "ugent", 6, 300, True),  # derived hours are not checked
        ]
    )
    row = side_by_side(con)
    assert (row["programmes"], row["meets_flanders_size_3_20"], row["meets_netherlands_size_3_30"]) == (
        4,
        2,
        3,
    )
    assert (row["with_published_hours"], row["meets_be_hours_25_30"], row["meets_nl_hours_28"]) == (2, 2, 1)


def test_rules_side_by_side_reads_the_thresholds_from_the_institution_table():
    con = warehouse_with([("ugent:b", "ugent", 20, 500, False), ("ugent:c", "ugent", 25, 700, False)])
    before = side_by_side(con)
    con.execute(
        "UPDATE institution SET credits_max = 25, hours_per_credit_max = 26 WHERE region = 'Flanders'"
    )
    con.execute(
        "UPDATE institution SET hours_per_credit_min = 25, hours_per_credit_max = 25 WHERE region = 'Netherlands'"
    )
    after = side_by_side(con)
    assert (before["meets_flanders_size_3_20"], after["meets_flanders_size_3_20"]) == (1, 2)
    assert (before["meets_be_hours_25_30"], after["meets_be_hours_25_30"]) == (2, 1)
    assert (before["meets_nl_hours_28"], after["meets_nl_hours_28"]) == (1, 1)  # now the 25 h one


def test_the_annex_i_coverage_view_covers_the_cores_elements():
    con = warehouse_with([("ugent:a", "ugent", 6, None, True)])
    covered = con.execute(
        "SELECT element, mandatory, programmes_publishing FROM annex_i_coverage ORDER BY element"
    ).fetchall()
    assert [(e, m) for e, m, _ in covered] == sorted((e.name, e.mandatory) for e in ANNEX_I)
    published = {e for e, _, n in covered if n}
    assert published == {"title", "issuer_country", "awarding_body", "notional_workload_ects"}


def test_the_completeness_rule_names_each_mandatory_element_a_programme_lacks():
    programme = pl.DataFrame(
        {
            "registry_id": ["ugent:a"],
            "institution_id": ["ugent"],
            "academic_year": [2024],
            "url": ["https://x"],
            "title": ["T"],
            "learning_outcomes": [[]],
            "credits_ects": [None],
            "credits_min": [2.0],  # a range publishes the workload
            "eqf_level": [None],
            "assessment": [None],
            "participation_form": ["online"],
            "quality_assurance": [None],
        },
        schema_overrides={"credits_ects": pl.Float64, "eqf_level": pl.Int32, "assessment": pl.Utf8},
    )
    flagged = checks.annex_i_flags(programme).get_column("field").to_list()
    assert flagged == ["learning_outcomes", "level", "type_of_assessment", "type_of_quality_assurance"]
    assert set(flagged) <= {e.name for e in PROGRAMME_MANDATORY}


def test_the_national_rules_are_those_of_the_sources_they_cite():
    assert (FLANDERS.credits_min, FLANDERS.credits_max) == (3, 20) and "3-20 credits" in FLANDERS.size_source
    assert (NETHERLANDS.credits_min, NETHERLANDS.credits_max) == (
        3,
        30,
    ) and "3-30 EC" in NETHERLANDS.size_source
    assert "25-30 hours" in FLANDERS.credit_source and "1 EC = 28 hours" in NETHERLANDS.credit_source
    assert (FLANDERS.hours_per_credit, NETHERLANDS.hours_per_credit) == (27.5, 28)
