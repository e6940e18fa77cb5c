"""A hot standby and an insert position at a WAL page boundary (why lampctl's waits use
WALPosition.reachable). Needs a primary and a streaming standby of it:

    wal_page_boundary.py PRIMARY_URL STANDBY_URL

Fills the current WAL page exactly with one non-transactional logical message, so that the last
record ends at the page boundary. pg_current_wal_insert_lsn() then points past the header of the
next, empty page. Prints how long the standby takes to replay up to the page boundary, and up to
that insert position (capped at 30 s): on an idle primary the second waits for the next WAL record
(the bgwriter's standby snapshot, up to 15 s later). Writes only WAL messages, no table.
"""
import sys, time
import psycopg2


def position(text):
    high, low = text.split("/")
    return int(high, 16) << 32 | int(low, 16)


def lsn(value):
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


def main(primary_url, standby_url):
    primary, standby = psycopg2.connect(primary_url), psycopg2.connect(standby_url)
    primary.autocommit = standby.autocommit = True
    p, s = primary.cursor(), standby.cursor()

    def scalar(cursor, sql, *args):
        cursor.execute(sql, args)
        return cursor.fetchone()[0]

    page = int(scalar(p, "SELECT current_setting('wal_block_size')"))
    for attempt in range(50):
        # A probe message gives the record's size beyond its payload (a payload over 255 bytes
        # takes a 5-byte data header instead of 2: 8 more bytes once MAXALIGNed).
        start = position(scalar(p, "SELECT pg_current_wal_insert_lsn()::text"))
        end = position(scalar(p, "SELECT pg_logical_emit_message(false, 'lampctl', repeat('x', 100))::text"))
        overhead = end - start - 100 + 8
        payload = page - end % page - overhead
        if payload < 256:
            continue  # too close to the boundary for a long-header message: the next page
        scalar(p, "SELECT pg_logical_emit_message(false, 'lampctl', repeat('x', %s))::text", payload)
        insert = position(scalar(p, "SELECT pg_current_wal_insert_lsn()::text"))
        if insert % page == 24:
            break
    else:
        sys.exit("could not end a record at a page boundary in 50 attempts (a busy primary?)")
    boundary = insert - 24
    print(f"pg_current_wal_insert_lsn() = {lsn(insert)}: the last record ended at the page boundary {lsn(boundary)}")
    for target, what in ((boundary, "the page boundary"), (insert, "the insert position")):
        began = time.monotonic()
        while not scalar(s, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn(target)):
            if time.monotonic() - began > 30:
                break
            time.sleep(0.005)
        took = time.monotonic() - began
        replay = scalar(s, "SELECT pg_last_wal_replay_lsn()::text")
        print(f"standby replay reached {what} {lsn(target)} after {took:.2f} s (replay LSN now {replay})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: wal_page_boundary.py PRIMARY_URL STANDBY_URL")
    main(sys.argv[1], sys.argv[2])
