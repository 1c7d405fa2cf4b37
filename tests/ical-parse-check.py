#!/usr/bin/python3
# tests/ical-parse-check.py
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Parses a Dermis iCalendar export with Debian's python3-icalendar and
# python3-vobject and checks every event's instants against the expected
# ones: "UID START_UNIX END_UNIX" lines in the second file. Prints one line
# per failure and exits 1; exit 0 when both libraries agree with Dermis.
import sys

import icalendar
import vobject


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    expected = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        uid, start, end = line.split()
        expected[uid] = (int(start), int(end))
    failures = []

    cal = icalendar.Calendar.from_ical(text)
    seen = set()
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        start = event["DTSTART"].dt
        end = event["DTEND"].dt
        if start.tzinfo is None:
            failures.append("icalendar: %s has no zone" % uid)
            continue
        got = (int(start.timestamp()), int(end.timestamp()))
        if got != expected.get(uid):
            failures.append("icalendar: %s is %s, expected %s" % (uid, got, expected.get(uid)))
        if "SEQUENCE" not in event or "LAST-MODIFIED" not in event:
            failures.append("icalendar: %s lacks SEQUENCE or LAST-MODIFIED" % uid)
        seen.add(uid)
    if seen != set(expected):
        failures.append("icalendar: events %s, expected %s" % (sorted(seen), sorted(expected)))

    seen = set()
    vcal = vobject.readOne(text)
    for event in vcal.vevent_list:
        uid = event.uid.value
        start = event.dtstart.value
        end = event.dtend.value
        if start.tzinfo is None:
            failures.append("vobject: %s has no zone" % uid)
            continue
        got = (int(start.timestamp()), int(end.timestamp()))
        if got != expected.get(uid):
            failures.append("vobject: %s is %s, expected %s" % (uid, got, expected.get(uid)))
        seen.add(uid)
    if seen != set(expected):
        failures.append("vobject: events %s, expected %s" % (sorted(seen), sorted(expected)))

    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
