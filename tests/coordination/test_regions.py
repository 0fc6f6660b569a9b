from vinculo.coordination import region_of


def test_regions_come_from_the_packaged_area_table() -> None:
    assert region_of("nga") == "Africa"
    assert region_of("ZZZ") == ""
