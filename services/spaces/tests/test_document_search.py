"""Search over documents' current text, per language; snippets are escaped HTML with <mark>."""


async def search(space, q, **params):
    answer = await space.service.client.get("/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_weglowy_finds_placu_weglowego(space):
    await space.new_document(
        "Zieleń przy Placu Węglowego: drzewa i ławki.", title="Plan", language="pl"
    )
    await space.new_document("Bomen bij het plein.", title="Plan", language="nl")
    found = await search(space, "weglowy", language="pl")
    assert found["count"] == 1
    assert "<mark>Węglowego</mark>" in found["data"][0]["snippet"]
    assert (await search(space, "weglowy"))["count"] == 1  # across every language too


async def test_dutch_french_and_english_are_stemmed(space):
    await space.new_document("We planten nieuwe bomen in het park.", title="Bomen", language="nl")
    await space.new_document("Nous plantons des arbres.", title="Arbres", language="fr")
    await space.new_document("We are planting trees.", title="Trees", language="en")
    assert (await search(space, "boom", language="nl"))["count"] == 1
    assert (await search(space, "arbre", language="fr"))["count"] == 1
    english = await search(space, "tree planted", language="en")
    assert english["count"] == 1 and "<mark>trees</mark>" in english["data"][0]["snippet"]


async def test_the_current_text_is_searched_not_old_revisions(space):
    document = await space.new_document("an orchard", language="en")
    await space.save(document, document["current"]["id"], "a meadow")
    assert (await search(space, "orchard"))["count"] == 0
    assert (await search(space, "meadow"))["count"] == 1


async def test_snippets_escape_the_document_text(space):
    await space.new_document(
        '<script>alert("x")</script> trees <b>here</b> if 1 < 2 & <img src=x onerror=alert(1)',
        language="en",
    )
    snippet = (await search(space, "trees"))["data"][0]["snippet"]
    assert "<mark>trees</mark>" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0, snippet
    assert "&amp;" in snippet and "&lt;" in snippet


async def test_query_and_page_bounds_are_refused(space):
    bad = [
        {"q": "x" * 201},
        {"q": ""},
        {"q": "a\x00b"},
        {"q": "a", "limit": 51},
        {"q": "a", "offset": -1},
    ]
    for params in bad:
        answer = await space.service.client.get("/search", params=params)
        assert answer.status_code == 422, params


async def test_a_polish_query_like_no_known_word_finds_nothing(space):
    await space.new_document("Zieleń przy Placu Węglowego.", language="pl")
    assert (await search(space, "xyzzyq", language="pl"))["count"] == 0
    assert (await search(space, "!!!", language="pl"))["count"] == 0
    assert (await search(space, "weglowy xyzzyq", language="pl"))["count"] == 0
