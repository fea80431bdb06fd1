from tests.factories import create_coop, register_person, DEFAULT_PASSWORD
from tests.web.pages import sign_in


async def test_smoke(client, browser):
    admin = await register_person(client, full_name="Admin")
    coop = await create_coop(client, admin)
    for path in ["/", "/providers", "/providers?area=W06000015", "/tenders", "/coops", f"/coops/{coop}", "/sign-in", "/sign-up", "/password-reset", "/password-reset/confirm"]:
        r = await browser.get(path)
        assert r.status_code == 200, (path, r.text[:3000])
    await sign_in(browser, admin.email, DEFAULT_PASSWORD)
    for path in ["/", "/account", "/direct-payment", "/approvals", f"/coops/{coop}", f"/coops/{coop}/money", f"/coops/{coop}/pay-in", f"/coops/{coop}/votes", f"/coops/{coop}/invoices", f"/coops/{coop}/support", f"/coops/{coop}/admin/members", f"/coops/{coop}/statement.csv"]:
        r = await browser.get(path)
        assert r.status_code == 200, (path, r.text[:3000])
    r = await browser.get("/", headers={"Accept-Language": "cy"})
    assert 'lang="cy"' in r.text
