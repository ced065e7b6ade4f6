#!/usr/bin/env python3
"""Generate the LDIF the Samba AD fixture loads into its fresh domain.

Deterministic (fixed seed, standard library only): the same arguments give
the same file byte for byte, so a test can rely on names, counts and values.
Usage:  gen-population.py <base DN> <mail domain> <output.ldif>

What the data set holds (tests/ldapbridge/integration/test_lb_samba.c and
the provider's AD tests rely on it):
  * OU=People: PEOPLE_COUNT users with givenName/sn/displayName, mail,
    proxyAddresses (one primary "SMTP:" and secondary "smtp:" addresses),
    department, company, title, telephoneNumber, mobile, facsimile number,
    office and postal address, thumbnailPhoto (every person) and
    userCertificate (the first person), and a manager hierarchy (the first
    person is the head, everyone else reports to an earlier person, so
    directReports is filled by the DC).  Non-ASCII names are among them
    (accents, Polish, Nordic, Chinese).  Every person is enabled and has no
    password except the service accounts below.
  * Service accounts in OU=People: the reader (READER_SAM) and a disabled
    account (DISABLED_SAM), both with passwords (READER_PASSWORD,
    DISABLED_PASSWORD).
  * OU=Contacts: CONTACT_COUNT contacts with mail and phone numbers.
  * OU=Groups: "All Staff" (mail-enabled; every person plus the nested
    group "Engineering"), "Engineering" (mail-enabled; some people plus the
    nested plain group "Platform Team"), "Platform Team" (plain),
    "Book Club" (plain; people and contacts), and "Bulk 1499", "Bulk 1500",
    "Bulk 1501" whose members are the first 1,499 / 1,500 / 1,501 bulk
    entries.
  * OU=Bulk: BULK_COUNT enabled users "Bulk Person NNNN" (NNNN from 0000)
    with mail bulkNNNN@<mail domain>, for paging and ranged-member tests.
  * OU=Moves A and OU=Moves B: one user "Morgan Mover" in OU=Moves A, which
    the identity test renames and moves (and puts back).
"""

import base64
import random
import sys

SEED = 20261206
PEOPLE_COUNT = 40
CONTACT_COUNT = 12
BULK_COUNT = 1650
READER_SAM = "ab.reader"
READER_PASSWORD = "Reader-Secret-42"
DISABLED_SAM = "ab.disabled"
DISABLED_PASSWORD = "Disabled-Secret-42"
MOVER_CN = "Morgan Mover"

# (given name, surname, ASCII slug for account names); the first entries
# are fixed so tests can name them, the rest are drawn with the seed.
FIXED_PEOPLE = [
    ("Ada", "Lindqvist", "ada.lindqvist"),
    ("Zoë", "Ångström", "zoe.angstrom"),
    ("Jürgen", "Müller", "juergen.mueller"),
    ("Łucja", "Żółkiewska", "lucja.zolkiewska"),
    ("小明", "王", "wang.xiaoming"),
    ("Søren", "Kjær", "soren.kjaer"),
    ("Chris", "Smith", "chris.smith"),
    ("Christine", "Smith", "christine.smith"),
]
GIVEN = ["Alex", "Blair", "Casey", "Dana", "Elliot", "Frances", "Gale",
         "Harper", "Indra", "Jamie", "Kai", "Logan", "Marlowe", "Noor",
         "Oakley", "Parker", "Quinn", "Reese", "Sasha", "Tatum", "Uma",
         "Vale", "Wren", "Yael"]
SURNAMES = ["Abbott", "Barros", "Castell", "Dimitrov", "Eklund", "Fonseca",
            "Grady", "Horvath", "Ito", "Jansen", "Kowal", "Laine", "Moreau",
            "Novak", "Okoye", "Petrov", "Quist", "Rossi", "Sato", "Tanaka",
            "Ueda", "Varga", "Weber", "Yilmaz"]
DEPARTMENTS = ["Engineering", "Sales", "Finance", "Support", "Legal"]
TITLES = ["Engineer", "Manager", "Analyst", "Consultant", "Director"]
OFFICES = [("Stockholm", "Sveavägen 1", "111 57", "SE", "Sweden"),
           ("Berlin", "Unter den Linden 5", "10117", "DE", "Germany"),
           ("Kraków", "Rynek Główny 3", "31-042", "PL", "Poland")]

# A self-signed X.509 certificate (DER, CN=Ada Lindqvist), the first
# person's userCertificate.
ADA_CERT = base64.b64decode(
    "MIIBtjCCAVugAwIBAgIUf8pufyW/NO+kT2+d5Rn7vhFgk1AwCgYIKoZIzj0EAwIwLzEV"
    "MBMGA1UECgwMbGRhcGFiIHRlc3RzMRYwFAYDVQQDDA1BZGEgTGluZHF2aXN0MCAXDTI2"
    "MTIwNjE4MjEwNFoYDzIxMjYxMTEyMTgyMTA0WjAvMRUwEwYDVQQKDAxsZGFwYWIgdGVz"
    "dHMxFjAUBgNVBAMMDUFkYSBMaW5kcXZpc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC"
    "AAQZCik35AmtBeFC/xjJZks+yQc3kGt7SFVhuTNYM0whOY8IXYQ6Ev07wAmlE5ohfwJg"
    "PXvzeVzv98m2vfI1R1Sko1MwUTAdBgNVHQ4EFgQUuD12HwEBOKu4YbIY7tsKmLE82tgw"
    "HwYDVR0jBBgwFoAUuD12HwEBOKu4YbIY7tsKmLE82tgwDwYDVR0TAQH/BAUwAwEB/zAK"
    "BggqhkjOPQQDAgNJADBGAiEA2uoN+oepU7NWlb1Pcy2i7GSBqTFxNNKmJFz/oWYK4CMC"
    "IQDUKHLR0XTjNO0KmjBoZGMwu/X0X7ucZkIoPF8X6ELQlg==")

# userAccountControl: normal account, no password required (people without
# a password stay enabled); normal account; normal + disabled.
UAC_NO_PASSWORD = 512 | 32
UAC_NORMAL = 512
UAC_DISABLED = 512 | 2


def photo(rng, n):
    """A small JPEG-framed blob, different per person (SOI ... EOI)."""
    body = bytes(rng.randrange(256) for _ in range(n))
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + \
        body + b"\xff\xd9"


def is_safe(s):
    """RFC 2849 SAFE-STRING: printable ASCII, not starting with ' ', ':' or '<'."""
    if not s:
        return True
    if s[0] in " :<" or s[-1] == " ":
        return False
    return all(32 <= ord(c) < 127 for c in s)


class Ldif:
    def __init__(self):
        self.out = []

    def entry(self, dn, attrs):
        self.line("dn", dn)
        for name, values in attrs:
            if not isinstance(values, list):
                values = [values]
            for v in values:
                self.line(name, v)
        self.out.append("")

    def line(self, name, value):
        if isinstance(value, bytes) or not is_safe(value):
            raw = value if isinstance(value, bytes) else value.encode("utf-8")
            self.out.append("%s:: %s" % (name, base64.b64encode(raw).decode("ascii")))
        else:
            self.out.append("%s: %s" % (name, value))

    def text(self):
        return "\n".join(self.out) + "\n"


def unicode_pwd(password):
    return ('"%s"' % password).encode("utf-16-le")


def people(rng):
    """PEOPLE_COUNT (given, sn, slug): the fixed ones, then seeded draws."""
    out = list(FIXED_PEOPLE)
    seen = {p[2] for p in out}
    while len(out) < PEOPLE_COUNT:
        g, s = rng.choice(GIVEN), rng.choice(SURNAMES)
        slug = ("%s.%s" % (g, s)).lower()
        if slug in seen:
            continue
        seen.add(slug)
        out.append((g, s, slug))
    return out


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: gen-population.py <base DN> <mail domain> <output.ldif>\n")
        return 2
    base, domain, path = argv[1], argv[2], argv[3]
    rng = random.Random(SEED)
    ldif = Ldif()
    ou = {}
    for name in ("People", "Contacts", "Groups", "Bulk", "Moves A", "Moves B"):
        ou[name] = "OU=%s,%s" % (name, base)
        ldif.entry(ou[name], [("objectClass", "organizationalUnit"), ("ou", name)])

    person_dns = []
    for i, (given, sn, slug) in enumerate(people(rng)):
        cn = "%s %s" % (given, sn)
        dn = "CN=%s,%s" % (cn, ou["People"])
        city, street, postcode, c, country = OFFICES[i % len(OFFICES)]
        sam = slug[:20]
        attrs = [
            ("objectClass", "user"),
            ("sAMAccountName", sam),
            ("userPrincipalName", "%s@%s" % (slug, domain)),
            ("givenName", given), ("sn", sn), ("displayName", cn),
            ("mail", "%s@%s" % (slug, domain)),
            ("proxyAddresses", ["SMTP:%s@%s" % (slug, domain),
                                "smtp:%s@mail.%s" % (slug.replace(".", ""), domain)]),
            ("department", DEPARTMENTS[i % len(DEPARTMENTS)]),
            ("company", "Ldapab Test AB"),
            ("title", TITLES[rng.randrange(len(TITLES))]),
            ("telephoneNumber", "+46 8 555 %04d" % (1000 + i)),
            ("mobile", "+46 70 555 %04d" % (2000 + i)),
            ("facsimileTelephoneNumber", "+46 8 555 %04d" % (3000 + i)),
            ("physicalDeliveryOfficeName", city),
            ("streetAddress", street), ("l", city), ("postalCode", postcode),
            ("c", c), ("co", country),
            ("thumbnailPhoto", photo(rng, 64 + i)),
            ("userAccountControl", str(UAC_NO_PASSWORD)),
        ]
        if i == 0:
            attrs.append(("userCertificate", ADA_CERT))
        else:
            attrs.append(("manager", person_dns[rng.randrange(min(i, 6))]))
        ldif.entry(dn, attrs)
        person_dns.append(dn)

    for sam, cn, password, uac in ((READER_SAM, "Address Book Reader", READER_PASSWORD, UAC_NORMAL),
                                   (DISABLED_SAM, "Disabled Account", DISABLED_PASSWORD, UAC_DISABLED)):
        ldif.entry("CN=%s,%s" % (cn, ou["People"]), [
            ("objectClass", "user"), ("sAMAccountName", sam),
            ("userPrincipalName", "%s@%s" % (sam, domain)),
            ("displayName", cn),
            ("unicodePwd", unicode_pwd(password)),
            ("userAccountControl", str(uac)),
        ])

    contact_dns = []
    for i in range(CONTACT_COUNT):
        given, sn = GIVEN[(i * 5) % len(GIVEN)], SURNAMES[(i * 7 + 3) % len(SURNAMES)]
        cn = "%s %s (external)" % (given, sn)
        dn = "CN=%s,%s" % (cn, ou["Contacts"])
        ldif.entry(dn, [
            ("objectClass", "contact"), ("givenName", given), ("sn", sn),
            ("displayName", cn),
            ("mail", "%s.%s@partner.example" % (given.lower(), sn.lower())),
            ("telephoneNumber", "+44 20 7946 %04d" % i),
            ("company", "Partner Ltd"),
        ])
        contact_dns.append(dn)

    bulk_dns = []
    for i in range(BULK_COUNT):
        cn = "Bulk Person %04d" % i
        dn = "CN=%s,%s" % (cn, ou["Bulk"])
        ldif.entry(dn, [
            ("objectClass", "user"), ("sAMAccountName", "bulk%04d" % i),
            ("givenName", "Bulk"), ("sn", "Person %04d" % i), ("displayName", cn),
            ("mail", "bulk%04d@%s" % (i, domain)),
            ("userAccountControl", str(UAC_NO_PASSWORD)),
        ])
        bulk_dns.append(dn)

    ldif.entry("CN=%s,%s" % (MOVER_CN, ou["Moves A"]), [
        ("objectClass", "user"), ("sAMAccountName", "morgan.mover"),
        ("givenName", "Morgan"), ("sn", "Mover"), ("displayName", MOVER_CN),
        ("mail", "morgan.mover@%s" % domain),
        ("userAccountControl", str(UAC_NO_PASSWORD)),
    ])

    def group(cn, members, mail=None):
        attrs = [("objectClass", "group"), ("sAMAccountName", cn.replace(" ", "-").lower()),
                 ("displayName", cn)]
        if mail:
            attrs += [("mail", "%s@%s" % (mail, domain)),
                      ("proxyAddresses", ["SMTP:%s@%s" % (mail, domain),
                                          "smtp:%s@lists.%s" % (mail, domain)])]
        attrs.append(("member", members))
        dn = "CN=%s,%s" % (cn, ou["Groups"])
        ldif.entry(dn, attrs)
        return dn

    platform = group("Platform Team", person_dns[8:12])
    engineering = group("Engineering", person_dns[0:8] + [platform], mail="engineering")
    group("All Staff", person_dns + [engineering], mail="all-staff")
    group("Book Club", person_dns[1:5] + contact_dns[0:4])
    for n in (1499, 1500, 1501):
        group("Bulk %d" % n, bulk_dns[:n])

    with open(path, "w", encoding="utf-8") as f:
        f.write(ldif.text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
