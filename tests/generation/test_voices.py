"""Text columns written apart (a message and its translation): a text written the other column's way is rejected."""

import json

import numpy as np
import pandas as pd
import pytest

from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.generation.voices import learn_column_voices
from syngen.profiling.model import checked_texts
from tests.fakes import ScriptedBackend

ENGLISH = ["the file could not be opened", "save the changes before you quit", "the network is unreachable",
           "choose a folder for the download", "the password is too short", "print the selected pages",
           "delete this message forever", "the disk is almost full", "show hidden files in the list"]
FRENCH = ["le fichier n'a pas pu être ouvert", "enregistrer les modifications avant de quitter",
          "le réseau est inaccessible", "choisissez un dossier pour le téléchargement",
          "le mot de passe est trop court",
          "imprimer les pages sélectionnées", "supprimer ce message pour toujours", "le disque est presque plein",
          "afficher les fichiers cachés dans la liste"]


@pytest.fixture(scope="module")
def messages_csv(tmp_path_factory):
    rng = np.random.default_rng(3)
    picks = rng.integers(0, len(ENGLISH), size=(150, 2))
    rows = [{"english": f"{ENGLISH[i]}, {ENGLISH[j]}", "french": f"{FRENCH[i]}, {FRENCH[j]}"} for i, j in picks]
    path = tmp_path_factory.mktemp("tables") / "messages.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_a_message_written_in_its_translations_language_is_rejected_and_asked_again(messages_csv):
    def french_first(request, index):
        first = "rejected" not in request.messages[-1]["content"]
        english = "le dossier est vide pour le moment" if first else "the folder is empty for now"
        return json.dumps({"english": english, "french": "le dossier est vide pour le moment"})

    config = GenerationConfig(data=str(messages_csv), num_samples=2, seed=5, stock_check=False, topic_check=False)
    session = prepare_session(config, backend=ScriptedBackend(french_first))
    outcomes = session.maker.make_many(range(2))
    assert [o.reasons for o in outcomes] == [["wrong_column"]] * 2
    assert all(o.row["english"] == "the folder is empty for now" for o in outcomes)
    lines = checked_texts({"voice_check": session.profile.voice_check.model_dump()})
    assert lines[0].startswith("english written as its own real texts, not as french: checked")


def test_columns_of_one_language_and_register_get_no_check():
    rng = np.random.default_rng(4)
    words = ["good", "great", "product", "works", "taste", "price", "value", "bottle", "again", "buy"]
    titles = pd.Series([" ".join(rng.choice(words, size=3)) for _ in range(80)])
    texts = pd.Series([" ".join(rng.choice(words, size=15)) + "." for _ in range(80)])
    assert learn_column_voices({"title": titles, "text": texts}, seed=1) is None
