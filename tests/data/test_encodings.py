"""Files in the encodings spreadsheets and editors write are read as their authors wrote them, and the
table says which encoding it was read in."""

import pytest

from syngen.data import load_table, read_table_bytes
from syngen.errors import DataError

RUSSIAN = ("id,отзыв,оценка\n1,\"Отличные витамины, пью каждое утро\",5\n2,Капсулы слишком большие и пахнут рыбой,2\n"
           "3,Цена хорошая но доставка долгая,4\n")
JAPANESE = ("id,レビュー,評価\n1,毎朝飲んでいます。とても良いビタミンです,5\n2,カプセルが大きすぎて飲みにくい,2\n"
            "3,値段は安いが配送が遅かった,4\n")
FRENCH = "id,avis\n1,Très bon produit – je le recommande\n2,\"“Super” rapport qualité-prix, crème légère\"\n"
CZECH = "id,recenze\n1,Výborný produkt a doporučuji všem\n2,Příliš drahé a pomalé doručení\n"
# A French spreadsheet's export: charset-normalizer's least messy reading was mac_latin2 ("Prix (Ä)", "dťÁu").
EXPORT = ("Prix (€);Satisfait ?;Commentaire client;Ville\n12,50;oui;Très bon produit, je recommande.;Paris\n"
          "8,99;non;Qualité médiocre, déçu.;Lyon\n30,00;oui;Super qualité pour le prix.;Nantes\n"
          "5,10;non;Produit cassé à la réception.;Paris\n")


@pytest.mark.parametrize(("text", "written_in", "read_as"), [
    (RUSSIAN, "cp1251", ("cp1251",)),
    (JAPANESE, "shift_jis", ("shift_jis", "cp932")),  # cp932 is Microsoft's superset of Shift-JIS
    (FRENCH, "cp1252", ("cp1252",)),
    (CZECH, "cp1250", ("cp1250",)),
    (EXPORT, "cp1252", ("cp1252",)),
    (RUSSIAN, "utf-16", ("utf-16",)),  # with its byte-order mark
    (JAPANESE, "utf-16-le", ("utf_16_le",)),  # without one
    (FRENCH, "utf-8", ("utf-8",)),
    (FRENCH, "utf-8-sig", ("utf-8-sig",)),
])
def test_each_encoding_is_read_as_written_and_named(tmp_path, text, written_in, read_as):
    path = tmp_path / "reviews.csv"
    path.write_bytes(text.encode(written_in))
    table = load_table(path)
    expected = read_table_bytes(text.encode("utf-8")).frame
    assert table.frame.equals(expected), table.frame.to_dict()
    assert table.encoding in read_as
    said = [note for note in table.notes if table.encoding in note]
    assert bool(said) == (written_in not in ("utf-8", "utf-8-sig"))


def test_the_cp1252_curly_quotes_and_dashes_survive():
    table = read_table_bytes(FRENCH.encode("cp1252"))
    assert table.frame["avis"].tolist()[0] == "Très bon produit – je le recommande"


def test_binary_bytes_are_still_refused():
    with pytest.raises(DataError, match="binary"):
        read_table_bytes(b"\x00\x01\x02binary\x00\x00\x00", source="blob.bin")
