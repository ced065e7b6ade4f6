#!/usr/bin/env python3
"""Write the bulk directory (dc=bulk,dc=example) for paging/sort/VLV tests.

Usage: gen-bulk.py COUNT OUTPUT.ldif

Entries are uid=bulk000001 ... uid=bulkNNNNNN under ou=People,dc=bulk,dc=example.
displayName / cn are "Bulk Person %06d" with the numbers shuffled (fixed seed)
against the uids, so the order slapd stores entries in is not the sorted
order: a sorted search must really sort.  Position p (1-based) in ascending
displayName order is "Bulk Person %06d" % p, which lets a test check a VLV
window without knowing anything else.
"""

import random
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-bulk.py COUNT OUTPUT.ldif")
    count = int(sys.argv[1])
    if count < 0 or count > 1000000:
        sys.exit("gen-bulk.py: COUNT must be between 0 and 1000000")
    numbers = list(range(1, count + 1))
    random.Random(4242).shuffle(numbers)
    parts = [
        "dn: dc=bulk,dc=example\nobjectClass: top\nobjectClass: dcObject\n"
        "objectClass: organization\ndc: bulk\no: Bulk test people\n\n",
        "dn: ou=People,dc=bulk,dc=example\nobjectClass: top\n"
        "objectClass: organizationalUnit\nou: People\n\n",
    ]
    for i, k in enumerate(numbers, 1):
        parts.append(
            "dn: uid=bulk%06d,ou=People,dc=bulk,dc=example\n"
            "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
            "objectClass: inetOrgPerson\n"
            "uid: bulk%06d\ncn: Bulk Person %06d\nsn: Person\ngivenName: Bulk\n"
            "displayName: Bulk Person %06d\nmail: bulk.person.%06d@bulk.example\n"
            "telephoneNumber: +1 555 %03d %04d\nemployeeNumber: %d\n\n"
            % (i, i, k, k, k, k // 10000, k % 10000, 900000 + k))
    with open(sys.argv[2], "w", encoding="ascii") as f:
        f.write("".join(parts))


if __name__ == "__main__":
    main()
