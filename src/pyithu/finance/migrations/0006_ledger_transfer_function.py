"""On PostgreSQL, one database function applies a whole transfer (decision 0034).

``pyithu_ledger_transfer`` does in one round trip what ``services.ledger._apply`` does in
Python, in the same order and under the same rules: lock both accounts in primary-key order,
look the (client, key) up after the locks, refuse an unknown, identical, foreign-currency or
closed account and a balance past the limit, write the transfer, move the money with the funds
check in the UPDATE's WHERE clause, write the two entries. A refusal raises an exception whose
message starts with ``pyithu-ledger:`` and a stable code, so the whole transaction rolls back
and nothing has moved. SQLite keeps the Python path; this migration does nothing there.
"""

from django.db import migrations

PG_UP = r"""
CREATE OR REPLACE FUNCTION pyithu_ledger_transfer(
    p_id uuid, p_client text, p_key text, p_digest text, p_debit uuid, p_credit uuid,
    p_amount bigint, p_kind text, p_reference text, p_note text, p_pending boolean,
    p_timeout_at timestamptz, p_reversal_of uuid, p_now timestamptz, p_limit bigint
) RETURNS TABLE (transfer_id uuid, created boolean, currency text)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
DECLARE
    r finance_ledgeraccount%ROWTYPE;
    d finance_ledgeraccount%ROWTYPE;
    c finance_ledgeraccount%ROWTYPE;
    have_d boolean := false;
    have_c boolean := false;
    found_id uuid;
    found_digest text;
    moved integer;
BEGIN
    -- 1. Lock every affected account in one statement, in primary-key order (0020).
    FOR r IN SELECT * FROM finance_ledgeraccount WHERE id IN (p_debit, p_credit)
             ORDER BY id FOR UPDATE LOOP
        IF r.id = p_debit THEN d := r; have_d := true; END IF;
        IF r.id = p_credit THEN c := r; have_c := true; END IF;
    END LOOP;
    -- 2. The key, after the locks: the same request returns the first transfer.
    SELECT t.id, t.request_digest INTO found_id, found_digest FROM finance_transfer t
     WHERE t.client = p_client AND t.idempotency_key = p_key;
    IF found_id IS NOT NULL THEN
        IF found_digest <> p_digest THEN
            RAISE EXCEPTION 'pyithu-ledger:idempotency_conflict';
        END IF;
        RETURN QUERY SELECT found_id, false, NULL::text;
        RETURN;
    END IF;
    -- 3. The same refusals, in the same order, as the Python path.
    IF NOT (have_d AND have_c) THEN RAISE EXCEPTION 'pyithu-ledger:unknown_account'; END IF;
    IF p_debit = p_credit THEN RAISE EXCEPTION 'pyithu-ledger:same_account'; END IF;
    IF d.currency_id <> c.currency_id THEN RAISE EXCEPTION 'pyithu-ledger:currency'; END IF;
    IF NOT (d.is_open AND c.is_open) THEN RAISE EXCEPTION 'pyithu-ledger:closed'; END IF;
    IF p_amount <= 0 THEN RAISE EXCEPTION 'pyithu-ledger:amount'; END IF;
    IF p_pending THEN
        IF d.pending_debits + p_amount > p_limit OR c.pending_credits + p_amount > p_limit THEN
            RAISE EXCEPTION 'pyithu-ledger:balance_limit';
        END IF;
    ELSIF c.balance + p_amount > p_limit OR d.balance - p_amount < -p_limit THEN
        RAISE EXCEPTION 'pyithu-ledger:balance_limit';
    END IF;
    -- 4. The transfer, then both sides in one conditional UPDATE with the funds check.
    INSERT INTO finance_transfer (id, created_at, updated_at, client, idempotency_key,
        request_digest, debit_account_id, credit_account_id, currency_id, amount, kind,
        reference, note, state, timeout_at, finished_at, reversal_of_id)
    VALUES (p_id, p_now, p_now, p_client, p_key, p_digest, p_debit, p_credit, d.currency_id,
        p_amount, p_kind, p_reference, p_note,
        CASE WHEN p_pending THEN 'pending' ELSE 'posted' END,
        CASE WHEN p_pending THEN p_timeout_at END,
        CASE WHEN p_pending THEN NULL ELSE p_now END, p_reversal_of);
    IF p_pending THEN
        UPDATE finance_ledgeraccount SET version = version + 1,
               pending_debits = pending_debits + CASE WHEN id = p_debit THEN p_amount ELSE 0 END,
               pending_credits = pending_credits + CASE WHEN id = p_credit THEN p_amount ELSE 0 END
         WHERE id IN (p_debit, p_credit) AND is_open
           AND (id = p_credit OR allow_overdraft OR balance >= pending_debits + p_amount);
    ELSE
        UPDATE finance_ledgeraccount SET version = version + 1,
               balance = balance + CASE WHEN id = p_debit THEN -p_amount ELSE p_amount END
         WHERE id IN (p_debit, p_credit) AND is_open
           AND (id = p_credit OR allow_overdraft OR balance >= pending_debits + p_amount);
    END IF;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved <> 2 THEN RAISE EXCEPTION 'pyithu-ledger:insufficient_funds'; END IF;
    IF p_pending THEN
        RETURN QUERY SELECT p_id, true, d.currency_id::text;
        RETURN;
    END IF;
    -- 5. The two immutable entries of a posted transfer.
    INSERT INTO finance_entry (transfer_id, account_id, amount, balance_after, at)
    VALUES (p_id, p_debit, -p_amount, d.balance - p_amount, p_now),
           (p_id, p_credit, p_amount, c.balance + p_amount, p_now);
    RETURN QUERY SELECT p_id, true, d.currency_id::text;
END
$fn$;
"""

PG_DOWN = """
DROP FUNCTION IF EXISTS pyithu_ledger_transfer(uuid, text, text, text, uuid, uuid, bigint,
    text, text, text, boolean, timestamptz, uuid, timestamptz, bigint);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("finance", "0005_township_node_money")]
    operations = [migrations.RunPython(forwards, backwards)]
