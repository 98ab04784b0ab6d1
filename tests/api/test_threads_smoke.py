async def test_create_and_list_thread(client):
    created = await client.post("/api/threads", json={"title": "Incidenti stradali"})
    assert created.status_code == 201, created.text
    thread = created.json()
    listed = await client.get("/api/threads")
    assert thread["id"] in [t["id"] for t in listed.json()["items"]]
