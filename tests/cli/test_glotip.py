import csv
import io
import json

from click.testing import CliRunner

from vinculo.cli.glotip import glotip


def test_import_reports_counts_and_unmapped_citizenships(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "UNODC\n14/04/2025\n"
        "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,"
        "txtVALUE,Source\n"
        "NLD,Netherlands,Europe,Western Europe,Detected trafficking victims,by citizenship,Atlantean,Total,"
        "Total,2022,Counts,<5,GLOTIP\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(glotip, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2025-04-14" in result.output
    assert "UNMAPPED" in result.output and "Atlantean" in result.output


def test_import_of_a_bad_file_lists_file_row_and_column(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,"
        "txtVALUE,Source\n"
        "NLD,Netherlands,Europe,Western Europe,Detected trafficking victims,Total,Total,Total,Total,2022,"
        "Counts,12.5,GLOTIP\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(glotip, ["import", str(path)])
    assert result.exit_code == 1
    assert "g.csv:2:txtVALUE: error evidence.bad_number" in result.output
    assert "Traceback" not in result.output


def test_profile_json_from_the_packaged_export():
    result = CliRunner().invoke(glotip, ["profile", "nld", "--no-rates"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["code"] == "NLD" and data["source"]["export_date"] == "2025-04-14"


def test_profile_markdown_and_unknown_country():
    runner = CliRunner()
    md = runner.invoke(glotip, ["profile", "BGR", "--format", "md", "--no-rates"])
    assert md.exit_code == 0 and md.output.startswith("# Bulgaria")
    bad = runner.invoke(glotip, ["profile", "ZZZ"])
    assert bad.exit_code == 1 and "ZZZ" in bad.output


def test_profile_of_a_state_known_only_as_an_origin_lists_where_its_citizens_were_detected():
    from vinculo.evidence import load_glotip, origin_countries

    ds = load_glotip()
    code = sorted(origin_countries(ds) - set(ds.countries))[0]
    md = CliRunner().invoke(glotip, ["profile", code, "--format", "md", "--no-rates"])
    assert md.exit_code == 0, md.output
    assert "## Main countries where citizens were detected abroad (all years)" in md.output
    assert "does not report detections to UNODC" in md.output
    listed = [line[2:5] for line in md.output.splitlines() if line.startswith("- ") and line[5:7] == ": "]
    assert listed and set(listed) <= set(ds.countries)


def test_flows_csv_for_a_region_and_year():
    result = CliRunner().invoke(glotip, ["flows", "--region", "Oceania", "--year", "2021"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {r["year"] for r in rows} == {"2021"}


def test_flows_rejects_an_unknown_region():
    result = CliRunner().invoke(glotip, ["flows", "--region", "Atlantis", "--format", "json"])
    assert result.exit_code == 1 and "Europe" in result.output
