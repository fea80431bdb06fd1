"""Ten times Wales on PostgreSQL, for the councils' summary benchmark: fast, in SQL.

About 60,000 holders over the 22 council areas (each with a Direct Payment paid by one of
them), 600 co-ops (one in five spanning two areas), 2,000 providers and some 2.2 million
ledger postings (18 contributions a holder over eighteen months, two postings each; then
each co-op's contracted tender, a quarter of its holders buying an hour a week under it, and
the monthly invoices approved from their accounts). Every
row is made by `INSERT ... SELECT` over `generate_series` in one transaction: no ORM, no API.
Ids are `md5(...)::uuid`, so a run always builds the same world.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bench_stats"
    DPC_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_stats \\
        /work/main/.venv/bin/python -m app.cli migrate
    /work/main/.venv/bin/python -m bench.stats_generate \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_stats

The database must be migrated and hold no co-ops yet (the areas come with the migrations).
"""

import argparse
import asyncio
import time

import asyncpg

HOLDERS = 60_000
COOPS = 600
PROVIDERS = 2_000
CONTRIBUTIONS_EACH = 18
# "Today" for the generated world: the contributions run back eighteen months from it.
TODAY = "2026-11-26"

STEPS: list[tuple[str, str]] = [
    (
        "areas",
        """
        CREATE TEMP TABLE g_area AS
        SELECT code, (row_number() OVER (ORDER BY code)) - 1 AS n FROM area
        """,
    ),
    (
        "holders",
        """
        INSERT INTO user_account (id, email, password_hash, full_name, preferred_language,
                                  is_platform_admin, created_at, closed_at)
        SELECT md5('holder' || i)::uuid, 'holder' || i || '@bench.invalid', NULL,
               'Holder ' || i, CASE WHEN i % 5 = 0 THEN 'cy' ELSE 'en' END, false,
               timestamptz '2025-01-01', NULL
        FROM generate_series(0, :holders - 1) AS i
        """,
    ),
    (
        "direct payments",
        """
        INSERT INTO direct_payment_award (id, user_id, area_code, weekly_amount_pence,
                                          start_date, end_date, assessed_hours_per_week,
                                          status, confirmed_at, created_at, updated_at)
        SELECT md5('award' || i)::uuid, md5('holder' || i)::uuid, a.code,
               20000 + (i * 37) % 30000, date '2025-01-01', NULL, 10 + i % 30,
               -- One in ten still waits for the council's confirmation.
               CASE WHEN i % 10 = 0 THEN 'declared' ELSE 'confirmed' END,
               CASE WHEN i % 10 = 0 THEN NULL ELSE timestamptz '2025-01-02' END,
               timestamptz '2025-01-01', timestamptz '2025-01-01'
        FROM generate_series(0, :holders - 1) AS i
        JOIN g_area a ON a.n = i % 22
        """,
    ),
    (
        "co-ops",
        """
        INSERT INTO coop (id, name, description, created_at, voting_mode, class_weights,
                          quorum_percent, pass_percent, award_requires_vote,
                          refund_second_approval_pence, variation_vote_percent)
        SELECT md5('coop' || j)::uuid, 'Cydweithfa ' || j, 'Benchmark co-op',
               timestamptz '2025-01-01', 'one_member_one_vote', NULL, 50, 50, true, 50000, 5
        FROM generate_series(0, :coops - 1) AS j
        """,
    ),
    (
        "co-op areas",
        """
        INSERT INTO coop_area (coop_id, area_code)
        SELECT md5('coop' || j)::uuid, a.code
        FROM generate_series(0, :coops - 1) AS j JOIN g_area a ON a.n = j % 22
        UNION ALL
        SELECT md5('coop' || j)::uuid, a.code
        FROM generate_series(0, :coops - 1) AS j JOIN g_area a ON a.n = (j + 1) % 22
        WHERE j % 5 = 0
        """,
    ),
    (
        "members",
        # Most holders join a co-op whose first area is their council's; one in ten joins
        # one further off (spanning co-ops make some of those local too).
        """
        CREATE TEMP TABLE g_member AS
        SELECT i, md5('member' || i)::uuid AS member_id,
               md5('coop' || CASE WHEN i % 10 = 0 THEN (i * 7) % :coops
                                  ELSE (i % 22) + 22 * ((i / 22) % (:coops / 22)) END)::uuid
                   AS coop_id,
               md5('account' || i)::uuid AS account_id
        FROM generate_series(0, :holders - 1) AS i
        """,
    ),
    (
        "memberships",
        """
        INSERT INTO coop_member (id, coop_id, user_id, member_class, is_admin, status,
                                 joined_at, approved_at, left_at)
        SELECT member_id, coop_id, md5('holder' || i)::uuid, 'service_user', i < :coops,
               'active', timestamptz '2025-01-01', timestamptz '2025-01-01', NULL
        FROM g_member
        """,
    ),
    (
        "accounts",
        """
        INSERT INTO ledger_account (id, coop_id, code, kind, member_id, provider_id,
                                    balance_pence, opened_at)
        SELECT md5('deposits' || j)::uuid, md5('coop' || j)::uuid, 'external:deposits',
               'external', NULL::uuid, NULL::uuid, 0, timestamptz '2025-01-01'
        FROM generate_series(0, :coops - 1) AS j
        UNION ALL
        SELECT account_id, coop_id, 'member:' || member_id, 'member', member_id, NULL, 0,
               timestamptz '2025-01-01'
        FROM g_member
        """,
    ),
    (
        "contributions",
        """
        CREATE TEMP TABLE g_contribution AS
        SELECT md5('tx' || m.i || '-' || n)::uuid AS tx_id, m.coop_id, m.account_id,
               md5('award' || m.i)::uuid AS award_id,
               ('deposits:' || m.coop_id)::text AS coop_key,
               500 + (m.i * 31 + n * 17) % 20000 AS amount,
               timestamptz :today - make_interval(days => n * 30 + m.i % 30,
                                                  secs => m.i % 86400) AS at
        FROM g_member m, generate_series(0, :each - 1) AS n
        """,
    ),
    (
        "transactions",
        """
        INSERT INTO ledger_transaction (id, coop_id, kind, memo, created_at, actor_user_id,
                                        on_behalf_of_user_id, reverses_id)
        SELECT tx_id, coop_id, 'contribution', 'Direct Payment', at, NULL, NULL, NULL
        FROM g_contribution ORDER BY at
        """,
    ),
    (
        "postings",
        """
        INSERT INTO ledger_posting (id, transaction_id, kind, account_id, position,
                                    amount_pence, created_at, source, award_id)
        SELECT md5('p0' || c.tx_id)::uuid, c.tx_id, 'contribution', d.id, 0, -c.amount, c.at,
               'direct_payment', NULL::uuid
        FROM g_contribution c JOIN ledger_account d
          ON d.coop_id = c.coop_id AND d.code = 'external:deposits'
        UNION ALL
        SELECT md5('p1' || c.tx_id)::uuid, c.tx_id, 'contribution', c.account_id, 1, c.amount,
               c.at, 'direct_payment', c.award_id
        FROM g_contribution c
        """,
    ),
    (
        "providers",
        """
        INSERT INTO provider (id, name, name_search, ciw_service_id, hourly_rate_pence,
                              capacity_hours_per_week, welsh_language, contact_email, phone,
                              website, status, created_at, updated_at)
        SELECT md5('provider' || k)::uuid, 'Gofal ' || k, 'gofal ' || k, NULL,
               1800 + (k * 13) % 1000, 100 + k % 400,
               (ARRAY['none', 'some', 'full'])[1 + k % 3], 'provider' || k || '@bench.invalid',
               NULL, NULL, CASE WHEN k % 10 = 0 THEN 'pending' ELSE 'verified' END,
               timestamptz '2025-01-01', timestamptz '2025-01-01'
        FROM generate_series(0, :providers - 1) AS k
        """,
    ),
    (
        "provider areas",
        """
        INSERT INTO provider_area (area_code, provider_id)
        SELECT DISTINCT a.code, md5('provider' || k)::uuid
        FROM generate_series(0, :providers - 1) AS k, generate_series(0, k % 3) AS s
        JOIN g_area a ON true
        WHERE a.n = (k + s * 5) % 22
        """,
    ),
    (
        "provider service types",
        # Care homes are scarce: only some areas have one (the gaps).
        """
        INSERT INTO provider_service_type (provider_id, service_type)
        SELECT DISTINCT md5('provider' || k)::uuid,
               (ARRAY['domiciliary_support', 'personal_assistant', 'respite',
                      'day_opportunities', 'supported_living', 'adult_placement',
                      'community_support', 'care_home_adults'])[1 + (k + s) % 7
                      + CASE WHEN k % 97 = 0 THEN 1 ELSE 0 END]
        FROM generate_series(0, :providers - 1) AS k, generate_series(0, k % 3) AS s
        """,
    ),
    (
        "tenders",
        # Each co-op has bought one kind of care through a contracted tender published in the
        # last year, and has a second tender open, in evaluation, cancelled or unsuccessful.
        """
        CREATE TEMP TABLE g_tender AS
        SELECT j, md5('tender' || j)::uuid AS tender_id, md5('coop' || j)::uuid AS coop_id,
               md5('holder' || j)::uuid AS user_id,
               (ARRAY['domiciliary_support', 'personal_assistant', 'respite',
                      'day_opportunities', 'supported_living', 'adult_placement',
                      'community_support'])[1 + j % 7] AS service_type,
               timestamptz :today - make_interval(days => 120 + j % 240) AS published_at,
               md5('bid' || j)::uuid AS bid_id,
               md5('provider' || (j * 3) % :providers)::uuid AS provider_id,
               1700 + (j * 29) % 900 AS rate,
               md5('contract' || j)::uuid AS contract_id,
               md5('provider-account' || j)::uuid AS provider_account_id
        FROM generate_series(0, :coops - 1) AS j;

        INSERT INTO tender (id, coop_id, title, description, service_type,
                            max_hourly_rate_pence, welsh_language_required, price_weight,
                            quality_weight, submission_deadline, standstill_days, status,
                            created_at, created_by_user_id, published_at, bids_opened_at,
                            cancelled_at, cancellation_reason)
        SELECT tender_id, coop_id, 'Care ' || j, 'Benchmark tender', service_type, 3000,
               'none', 60, 40, published_at + interval '14 days', 10, 'contracted',
               published_at - interval '7 days', user_id, published_at,
               published_at + interval '14 days', NULL, NULL
        FROM g_tender
        UNION ALL
        SELECT md5('tender2-' || j)::uuid, coop_id, 'More care ' || j, 'Benchmark tender',
               service_type, 3000, 'none', 60, 40,
               timestamptz :today + make_interval(days => 20 - j % 60), 10,
               (ARRAY['open', 'evaluation', 'cancelled', 'unsuccessful'])[1 + j % 4],
               timestamptz :today - make_interval(days => 10 + j % 60), user_id,
               timestamptz :today - make_interval(days => 10 + j % 60), NULL,
               CASE WHEN j % 4 = 2 THEN timestamptz :today - interval '1 day' END,
               CASE WHEN j % 4 = 2 THEN 'Needs changed' END
        FROM g_tender;

        INSERT INTO tender_area (area_code, tender_id)
        SELECT ca.area_code, t.id FROM tender t JOIN coop_area ca ON ca.coop_id = t.coop_id
        """,
    ),
    (
        "contracts",
        """
        INSERT INTO tender_bid (id, tender_id, provider_id, status, hourly_rate_pence,
                                capacity_hours_per_week, quality_statement, welsh_language,
                                quality_score, submitted_at, submitted_by_user_id, amended_at,
                                withdrawn_at)
        SELECT bid_id, tender_id, provider_id, 'submitted', rate, 200, 'Benchmark bid', 'some',
               70, published_at + interval '3 days', user_id, NULL, NULL
        FROM g_tender;

        INSERT INTO tender_award (id, tender_id, bid_id, status, proposal_id, proposed_at,
                                  proposed_by_user_id, decided_at, awarded_at,
                                  standstill_ends_at)
        SELECT md5('award' || tender_id)::uuid, tender_id, bid_id, 'awarded', NULL,
               published_at + interval '15 days', user_id, published_at + interval '15 days',
               published_at + interval '15 days', published_at + interval '25 days'
        FROM g_tender;

        INSERT INTO contract (id, tender_id, coop_id, bid_id, provider_id, provider_name,
                              hourly_rate_pence, status, created_at, created_by_user_id,
                              start_date)
        SELECT g.contract_id, g.tender_id, g.coop_id, g.bid_id, g.provider_id, p.name, g.rate,
               'active', g.published_at + interval '26 days', g.user_id,
               ((g.published_at + interval '26 days') AT TIME ZONE 'Europe/London')::date
        FROM g_tender g JOIN provider p ON p.id = g.provider_id;

        INSERT INTO ledger_account (id, coop_id, code, kind, member_id, provider_id,
                                    balance_pence, opened_at)
        SELECT provider_account_id, coop_id, 'provider:' || provider_id, 'provider', NULL,
               provider_id, 0, published_at + interval '26 days'
        FROM g_tender
        """,
    ),
    (
        "call-offs",
        # One holder in four buys an hour a week, if their contributions cover a year of it.
        """
        CREATE TEMP TABLE g_call_off AS
        SELECT m.i, m.member_id, m.account_id, t.contract_id, t.rate
        FROM g_member m JOIN g_tender t ON t.coop_id = m.coop_id
        WHERE m.i % 4 = 0
          AND (SELECT sum(p.amount_pence) FROM ledger_posting p
               WHERE p.account_id = m.account_id) >= 150000;

        INSERT INTO contract_call_off (id, contract_id, member_id, hours_per_week)
        SELECT md5('call-off' || i)::uuid, contract_id, member_id, 1 FROM g_call_off
        """,
    ),
    (
        "invoices",
        # Monthly invoices since each contract began, approved three days after the month:
        # each approval one ledger transaction from the members' accounts to the provider's.
        """
        CREATE TEMP TABLE g_invoice AS
        SELECT md5('invoice' || t.j || '-' || n)::uuid AS invoice_id,
               md5('invoice-tx' || t.j || '-' || n)::uuid AS tx_id, t.contract_id, t.coop_id,
               t.user_id, t.provider_account_id, t.rate,
               (t.published_at + interval '26 days')::date + 30 * n AS period_start,
               (t.published_at + interval '26 days')::date + 30 * n + 29 AS period_end,
               (t.published_at + interval '26 days') + make_interval(days => 30 * n + 32)
                   AS approved_at
        FROM g_tender t, generate_series(0, 11) AS n
        WHERE (t.published_at + interval '26 days') + make_interval(days => 30 * n + 32)
              < timestamptz :today;

        INSERT INTO ledger_transaction (id, coop_id, kind, memo, created_at, actor_user_id,
                                        on_behalf_of_user_id, reverses_id)
        SELECT tx_id, coop_id, 'invoice_approval', 'Invoice', approved_at, user_id, NULL, NULL
        FROM g_invoice ORDER BY approved_at;

        INSERT INTO invoice (id, contract_id, period_start, period_end, status, submitted_at,
                             submitted_by_user_id, approved_at, approval_transaction_id,
                             paid_at, payment_transaction_id)
        SELECT invoice_id, contract_id, period_start, period_end, 'approved',
               approved_at - interval '2 days', user_id, approved_at, tx_id, NULL, NULL
        FROM g_invoice;

        CREATE TEMP TABLE g_line AS
        SELECT md5('line' || v.invoice_id || c.member_id)::uuid AS line_id, v.invoice_id,
               v.tx_id, v.approved_at, v.provider_account_id, c.member_id, c.account_id,
               row_number() OVER (PARTITION BY v.invoice_id ORDER BY c.member_id) AS position,
               4 * v.rate AS amount
        FROM g_invoice v JOIN g_call_off c ON c.contract_id = v.contract_id;

        INSERT INTO invoice_line (id, invoice_id, position, member_id, minutes, description,
                                  amount_pence, status)
        SELECT line_id, invoice_id, position, member_id, 240, 'Four hours of care', amount, 'ok'
        FROM g_line;

        INSERT INTO ledger_posting (id, transaction_id, kind, account_id, position,
                                    amount_pence, created_at, award_id)
        SELECT md5('pl' || l.line_id)::uuid, l.tx_id, 'invoice_approval', l.account_id,
               l.position, -l.amount, l.approved_at, a.id
        FROM g_line l JOIN coop_member m ON m.id = l.member_id
        JOIN direct_payment_award a ON a.user_id = m.user_id
        UNION ALL
        SELECT md5('pp' || invoice_id)::uuid, tx_id, 'invoice_approval',
               min(provider_account_id::text)::uuid, 0, sum(amount), min(approved_at), NULL::uuid
        FROM g_line GROUP BY invoice_id, tx_id
        """,
    ),
    (
        "balances",
        """
        UPDATE ledger_account a SET balance_pence = s.total
        FROM (SELECT account_id, sum(amount_pence) AS total
              FROM ledger_posting GROUP BY account_id) s
        WHERE a.id = s.account_id
        """,
    ),
]


def bind(sql: str) -> str:
    values = {
        ":holders": str(HOLDERS),
        ":coops": str(COOPS),
        ":providers": str(PROVIDERS),
        ":each": str(CONTRIBUTIONS_EACH),
        ":today": f"'{TODAY}'",
    }
    for name, value in values.items():
        sql = sql.replace(name, value)
    return sql


async def generate(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        if await connection.fetchval("SELECT count(*) FROM coop"):
            raise SystemExit("the database already holds co-ops: use a freshly migrated one")
        await connection.execute("SET maintenance_work_mem = '512MB'")
        await connection.execute("SET work_mem = '256MB'")
        async with connection.transaction():
            for name, sql in STEPS:
                started = time.perf_counter()
                await connection.execute(bind(sql))
                print(f"{name:24} {time.perf_counter() - started:7.1f} s", flush=True)
        started = time.perf_counter()
        await connection.execute("VACUUM ANALYZE")
        print(f"{'vacuum analyze':24} {time.perf_counter() - started:7.1f} s")
        for table in (
            "direct_payment_award",
            "coop",
            "provider",
            "tender",
            "invoice",
            "ledger_posting",
        ):
            count = await connection.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608
            print(f"{table:24} {count:>9}")
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_stats"
    )
    args = parser.parse_args()
    dsn = args.database_url.replace("postgresql+asyncpg://", "postgresql://")
    started = time.perf_counter()
    asyncio.run(generate(dsn))
    print(f"{'total':24} {time.perf_counter() - started:7.1f} s")


if __name__ == "__main__":
    main()
