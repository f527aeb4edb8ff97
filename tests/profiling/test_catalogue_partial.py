"""A catalogue holding only some of the data's items (10 of 90 products) is still the data's catalogue."""

from syngen.data import read_table_bytes
from syngen.profiling import ColumnKind, load_catalogue, profile_table
from syngen.sampling import RowPlanner


def _tables(tmp_path):
    data = "product_id,rating,text\n" + "".join(
        f"P{i % 90:03d},{1 + i % 5},a review of product {i % 90} with several words in it\n" for i in range(900))
    products = "product_id,title,category\n" + "".join(f"P{i:03d},Thing number {i},Gadgets\n" for i in range(10))
    path = tmp_path / "products.csv"
    path.write_text(products)
    return read_table_bytes(data.encode(), source="reviews.csv"), path


def test_partial_catalogue_is_matched_and_every_data_item_kept(tmp_path):
    table, path = _tables(tmp_path)
    catalogue = load_catalogue(path, table)
    assert catalogue.key_column == "product_id" and catalogue.data_column == "product_id"
    profile = profile_table(table, catalogue)
    column = profile.column("product_id")
    assert column.kind is ColumnKind.FOREIGN_KEY
    assert len(column.stats.counts) == 90  # the 80 items the catalogue lacks are still drawn
    planner = RowPlanner(profile, catalogue, 0)
    skeletons = [planner.skeleton(i) for i in range(300)]
    described = [s for s in skeletons if s.context]
    assert described and all(s.context["title"].startswith("Thing number") for s in described)
    assert len({s.values["product_id"] for s in skeletons}) > 40

