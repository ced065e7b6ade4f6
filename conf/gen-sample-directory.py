#!/usr/bin/env python3
"""Generate conf/sample-directory.ldif, the Example Corp test directory.

Deterministic (fixed seed, python3 standard library only): running it again
gives the same file byte for byte, so the committed LDIF and this script stay
in step.  Usage:  conf/gen-sample-directory.py [output.ldif]   (default: stdout)

What the directory holds and why (the integration tests rely on it):
  * dc=example,dc=com with ou=People (one sub-OU per department), ou=Groups
    and ou=Services (the read-only account cn=reader).
  * a little over 300 inetOrgPerson entries whose names match their office:
    accents (é, ö, ñ, ø, å, ç), Japanese and Chinese names (佐藤健, 王芳),
    shared surnames (Smith, García), shared first-name prefixes
    (Chris / Christine / Christopher / Christina), a person with three mail
    values, and values holding the filter metacharacters * ( ) \\ .
  * a manager hierarchy: CEO -> department heads -> managers -> staff.
  * groupOfNames groups: one per department and per office, regional groups
    whose members are office groups (nesting), "Everyone" with every person,
    and a group whose DN needs escaping (cn=Sales\\, EMEA).
  * postal addresses (street, postalCode, postalAddress) from each office;
    photos (jpegPhoto: a tiny real JPEG) for the CEO, the department heads
    and some of the people above; certificates (userCertificate;binary: a
    DER X.509 structure with a made-up key and signature, and
    userSMIMECertificate: a certs-only PKCS#7 SignedData holding it) for
    some of them.  Both are derived from the uid by hashing, not from the
    random generator, so adding them changed nobody else's data.
"""

import base64
import hashlib
import math
import random
import sys
import unicodedata

SEED = 20261201
BASE = "dc=example,dc=com"
PEOPLE = "ou=People," + BASE
GROUPS = "ou=Groups," + BASE
SERVICES = "ou=Services," + BASE
MAIL_DOMAIN = "example.com"
READER_PASSWORD = "reader-secret"   # also in tests/slapd/slapd-ctl (LDAPAB_TEST_BIND_PW)

# Names per locale.  CJK entries are (native, romanised).
NAMES = {
    "en": (
        ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael",
         "Linda", "David", "Elizabeth", "William", "Barbara", "Richard",
         "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Daniel", "Emily",
         "Matthew", "Ashley", "Andrew", "Amanda", "Joshua", "Megan", "Kevin",
         "Rachel", "Brian", "Laura", "Steven", "Nicole", "Paul", "Hannah",
         "Mark", "Olivia", "Ryan", "Grace", "Jason", "Chloe", "Eric", "Zoe",
         "Gareth", "Fiona", "Alistair", "Niamh", "Rhys", "Imogen", "Kwame",
         "Priya", "Arjun", "Aisha", "Tyler", "Madison", "Chris", "Christine",
         "Christopher", "Christina", "Christian"],
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
         "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson",
         "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
         "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
         "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell",
         "O'Brien", "Murphy", "Kelly", "Patel", "Okafor", "Nguyen", "Evans",
         "Hughes", "MacDonald", "Campbell", "Reid", "Fraser", "Shah"],
    ),
    "de": (
        ["Jürgen", "Jörg", "Günter", "Lukas", "Anna", "Katrin", "Stefan",
         "Sabine", "Matthias", "Julia", "Tobias", "Lena", "Uwe", "Birgit",
         "Maximilian", "Sophie", "Felix", "Jana", "Dieter", "Ute", "Björn",
         "Annika", "Moritz", "Franziska"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
         "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer",
         "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
         "Krüger", "Böhm", "Köhler", "Weiß", "Hartmann"],
    ),
    "fr": (
        ["François", "Hélène", "Élodie", "Jérôme", "Céline", "Amélie",
         "Sébastien", "Benoît", "Camille", "Margaux", "Léa", "Thibault",
         "Nicolas", "Isabelle", "Gaëlle", "Mathieu", "Chloé", "Aurélien",
         "Océane", "Rémi", "Anaïs", "Loïc"],
        ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard",
         "Petit", "Durand", "Lefèvre", "Moreau", "Girard", "Fournier",
         "Lambert", "Bonnet", "François", "Mercier", "Rousseau", "Faure",
         "Chevalier", "Gauthier", "Lemaître", "Garnier"],
    ),
    "es": (
        ["José", "María", "Antonio", "Carmen", "Javier", "Lucía", "Álvaro",
         "Inés", "Sofía", "Andrés", "Raúl", "Nuria", "Begoña", "Íñigo",
         "Pilar", "Sergio", "Marta", "Jesús", "Elena", "Ramón", "Rocío"],
        ["García", "Fernández", "González", "Rodríguez", "López", "Martínez",
         "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz",
         "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Núñez",
         "Ibáñez", "Peña", "de la Cruz"],
    ),
    "no": (
        ["Bjørn", "Øystein", "Åse", "Kjersti", "Ingrid", "Sigrid", "Håkon",
         "Eirik", "Marit", "Solveig", "Torbjørn", "Kristoffer", "Ragnhild",
         "Jørgen", "Silje", "Magnus", "Tone"],
        ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen",
         "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Berg", "Haugen",
         "Hagen", "Solberg", "Lund", "Bakken", "Sæther", "Løken", "Ødegård",
         "Strøm"],
    ),
    "sv": (
        ["Björn", "Göran", "Åsa", "Märta", "Lars", "Karin", "Anders", "Eva",
         "Mikael", "Linnéa", "Oskar", "Maja", "Jöns", "Ebba", "Nils"],
        ["Öberg", "Åström", "Söderberg", "Lindqvist", "Johansson",
         "Karlsson", "Nilsson", "Eriksson", "Larsson", "Sjöberg", "Lindström",
         "Bergström", "Holmgren", "Ekström", "Wallin"],
    ),
    "pt": (
        ["João", "Luís", "Ana", "Fábio", "Márcia", "Thiago", "Letícia",
         "Vinícius", "Débora", "Rafael", "Juliana", "Gustavo", "Camila",
         "Bruno", "Patrícia", "Conceição"],
        ["Silva", "Santos", "Oliveira", "Souza", "Gonçalves", "Araújo",
         "Magalhães", "Pereira", "Ferreira", "Lima", "Carvalho", "Ribeiro",
         "Almeida", "Barbosa", "Simões"],
    ),
    "ja": (
        [("健", "Ken"), ("翔太", "Shota"), ("陽菜", "Hina"), ("美咲", "Misaki"),
         ("大輔", "Daisuke"), ("愛", "Ai"), ("拓也", "Takuya"), ("結衣", "Yui"),
         ("直樹", "Naoki"), ("由美", "Yumi"), ("浩", "Hiroshi"),
         ("恵子", "Keiko"), ("誠", "Makoto"), ("さくら", "Sakura")],
        [("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"),
         ("田中", "Tanaka"), ("伊藤", "Ito"), ("渡辺", "Watanabe"),
         ("山本", "Yamamoto"), ("中村", "Nakamura"), ("小林", "Kobayashi"),
         ("加藤", "Kato"), ("吉田", "Yoshida"), ("山田", "Yamada")],
    ),
    "zh": (
        [("芳", "Fang"), ("伟", "Wei"), ("娜", "Na"), ("敏", "Min"),
         ("静", "Jing"), ("磊", "Lei"), ("洋", "Yang"), ("艳", "Yan"),
         ("勇", "Yong"), ("军", "Jun"), ("杰", "Jie"), ("婷", "Ting"),
         ("强", "Qiang"), ("秀英", "Xiuying"), ("明", "Ming"), ("晓东", "Xiaodong")],
        [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"),
         ("陈", "Chen"), ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"),
         ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun")],
    ),
}

# Offices: city -> (locale, weight, phone pattern, mobile pattern, code).
# "#" is a random digit.  UK and US numbers use the ranges set aside for fiction.
OFFICES = {
    "London": ("en", 40, "+44 20 7946 0###", "+44 7700 900###", "LON"),
    "New York": ("en", 48, "+1 212 555 01##", "+1 917 555 01##", "NYC"),
    "San Francisco": ("en", 42, "+1 415 555 01##", "+1 628 555 01##", "SFO"),
    "Berlin": ("de", 30, "+49 30 5550 ####", "+49 151 5550 ####", "BER"),
    "Paris": ("fr", 28, "+33 1 55 ## ## ##", "+33 6 55 ## ## ##", "PAR"),
    "Madrid": ("es", 24, "+34 91 555 ## ##", "+34 655 ### ###", "MAD"),
    "Oslo": ("no", 14, "+47 22 55 ## ##", "+47 955 ## ###", "OSL"),
    "Stockholm": ("sv", 14, "+46 8 555 ### ##", "+46 70 555 ## ##", "STO"),
    "São Paulo": ("pt", 18, "+55 11 5555-####", "+55 11 95555-####", "GRU"),
    "Tokyo": ("ja", 22, "+81 3 5555 ####", "+81 90 5555 ####", "TYO"),
    "Shanghai": ("zh", 22, "+86 21 5555 ####", "+86 139 5555 ####", "SHA"),
}
REGIONS = {
    "EMEA": ["London", "Berlin", "Paris", "Madrid", "Oslo", "Stockholm"],
    "Americas": ["New York", "San Francisco", "São Paulo"],
    "APAC": ["Tokyo", "Shanghai"],
}

# Office street addresses: city -> (street, postal code, postalAddress lines).
OFFICE_ADDRESSES = {
    "London": ("1 Example Street", "EC1A 1AA", ["Example Corp", "1 Example Street", "London EC1A 1AA", "United Kingdom"]),
    "New York": ("350 Example Avenue", "10001", ["Example Corp", "350 Example Avenue", "New York, NY 10001", "USA"]),
    "San Francisco": ("100 Example Plaza", "94105", ["Example Corp", "100 Example Plaza", "San Francisco, CA 94105", "USA"]),
    "Berlin": ("Beispielstraße 12", "10115", ["Example Corp", "Beispielstraße 12", "10115 Berlin", "Deutschland"]),
    "Paris": ("12 rue de l'Exemple", "75002", ["Example Corp", "12 rue de l'Exemple", "75002 Paris", "France"]),
    "Madrid": ("Calle del Ejemplo 7", "28013", ["Example Corp", "Calle del Ejemplo 7", "28013 Madrid", "España"]),
    "Oslo": ("Eksempelgata 3", "0150", ["Example Corp", "Eksempelgata 3", "0150 Oslo", "Norge"]),
    "Stockholm": ("Exempelgatan 9", "111 52", ["Example Corp", "Exempelgatan 9", "111 52 Stockholm", "Sverige"]),
    "São Paulo": ("Avenida Exemplo 1000", "01310-100", ["Example Corp", "Avenida Exemplo 1000", "São Paulo - SP 01310-100", "Brasil"]),
    "Tokyo": ("千代田区丸の内 1-1", "100-0005", ["Example Corp", "千代田区丸の内 1-1", "東京都 100-0005", "日本"]),
    "Shanghai": ("浦东新区世纪大道 100号", "200120", ["Example Corp", "浦东新区世纪大道 100号", "上海市 200120", "中国"]),
}

# Departments: name -> (departmentNumber, staff count, head title,
#                       manager title, staff titles, mail alias)
DEPARTMENTS = {
    "Engineering": ("4100", 88, "Chief Technology Officer", "Engineering Manager",
                    ["Software Engineer", "Senior Software Engineer",
                     "Staff Engineer", "Site Reliability Engineer",
                     "QA Engineer", "Security Engineer", "Data Engineer",
                     "Principal Engineer", "Build Engineer"], "engineering"),
    "Sales": ("5200", 52, "Vice President, Sales", "Regional Sales Manager",
              ["Account Executive", "Senior Account Executive",
               "Sales Development Representative", "Sales Engineer",
               "Key Account Manager"], "sales"),
    "Marketing": ("5300", 26, "Vice President, Marketing", "Marketing Manager",
                  ["Product Marketing Manager", "Content Strategist",
                   "Marketing Specialist", "Brand Designer",
                   "Events Coordinator"], "marketing"),
    "Finance": ("6100", 22, "Chief Financial Officer", "Finance Manager",
                ["Accountant", "Financial Analyst", "Payroll Specialist",
                 "Controller", "Accounts Payable Clerk"], "finance"),
    "Human Resources": ("6200", 16, "Vice President, People", "HR Manager",
                        ["HR Business Partner", "Recruiter",
                         "Talent Acquisition Specialist", "HR Generalist"],
                        "hr"),
    "Operations": ("7100", 30, "Chief Operating Officer", "Operations Manager",
                   ["IT Support Specialist", "Facilities Coordinator",
                    "Procurement Specialist", "Systems Administrator",
                    "Office Manager", "Logistics Coordinator"], "operations"),
    "Legal": ("6300", 10, "General Counsel", "Legal Manager",
              ["Corporate Counsel", "Paralegal", "Compliance Officer",
               "Contracts Manager"], "legal"),
    "Customer Support": ("7200", 40, "Vice President, Customer Support",
                         "Support Team Lead",
                         ["Support Engineer", "Customer Success Manager",
                          "Technical Support Specialist",
                          "Support Operations Analyst"], "support"),
}
EXEC_OU = "Executive Office"

# People the tests look for by name.  (given, sn, department, office, extras)
FIXED = [
    ("Chris", "Smith", "Engineering", "London", {}),
    ("Christine", "Smith", "Sales", "New York", {}),
    ("Christopher", "Smith", "Finance", "San Francisco", {}),
    ("Christopher", "Jones", "Engineering", "London", {}),
    ("Christina", "García", "Marketing", "Madrid", {}),
    ("José", "García", "Sales", "Madrid", {}),
    ("María", "García", "Engineering", "Madrid", {}),
    ("Ana", "García", "Customer Support", "São Paulo", {}),
    ("Íñigo", "Núñez", "Legal", "Madrid", {}),
    ("Jérôme", "Lefèvre", "Engineering", "Paris", {"cert": True}),
    ("Zoë", "Müller", "Marketing", "Berlin", {}),
    ("Søren", "Ødegård", "Operations", "Oslo", {"photo": True, "cert": True}),
    ("Björn", "Öberg", "Engineering", "Stockholm", {}),
    ("Siobhán", "O'Brien", "Human Resources", "London", {}),
    (("芳", "Fang"), ("王", "Wang"), "Engineering", "Shanghai", {"photo": True}),
    (("健", "Ken"), ("佐藤", "Sato"), "Sales", "Tokyo", {}),
    ("Mary", "Johnson", "Sales", "New York",
     {"mail": ["mary.johnson@example.com", "mjohnson@example.com",
               "mary.johnson@sales.example.com"],
      "photo": True, "cert": True, "initials": "M. J.", "homePhone": "+1 212 555 0199",
      "pager": "+1 212 555 0198", "facsimileTelephoneNumber": "+1 212 555 0197"}),
    ("Jo", "Baxter", "Engineering", "London",
     {"cn": ["Jo (Consultant)", "Jo Baxter"], "displayName": "Jo (Consultant)",
      "title": "External Consultant (Contract)"}),
    ("Tobias", "Wagner", "Engineering", "Berlin", {"title": "R&D \\ Tools*"}),
]


def b64_needed(value):
    """RFC 2849 SAFE-STRING check: anything else must be base64 ('::')."""
    if value == "":
        return False
    if value[0] in " :<" or value[-1] == " ":
        return True
    return any(ord(ch) > 126 or ch in "\0\r\n" for ch in value)


def ldif_line(attr, value):
    if b64_needed(value):
        return "%s:: %s" % (attr, base64.b64encode(value.encode("utf-8")).decode("ascii"))
    return "%s: %s" % (attr, value)


def ascii_fold(text):
    special = {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "'": "", " ": ""}
    out = []
    for ch in text:
        if ch in special:
            out.append(special[ch])
            continue
        for dch in unicodedata.normalize("NFKD", ch):
            if not unicodedata.combining(dch) and dch.isascii():
                out.append(dch)
    return "".join(out)


def rdn_escape(value):
    """RFC 4514 escaping for an attribute value inside a DN."""
    out = []
    for i, ch in enumerate(value):
        if ch in ',+"\\<>;=' or (i == 0 and ch in " #") or (i == len(value) - 1 and ch == " "):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def fill(rng, pattern, used):
    while True:
        value = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)
        if value not in used:
            used.add(value)
            return value


# ---- binary sample values (derived from the uid, not from the rng) -------

def der(tag, content):
    """One DER TLV."""
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        body = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(body)]) + body
    return bytes([tag]) + length + content


def der_seq(*parts):
    return der(0x30, b"".join(parts))


def der_set(*parts):
    return der(0x31, b"".join(parts))


def der_oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    out = bytes([arcs[0] * 40 + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(chunk))
    return der(0x06, out)


def der_int(value):
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big")
    return der(0x02, body)


def der_name(*rdns):
    return der_seq(*[der_set(der_seq(der_oid(oid), der(0x0C, text.encode("utf-8"))))
                     for oid, text in rdns])


def sample_certificate(uid, display_name, mail):
    """A DER X.509 v3 certificate for display_name: a well-formed structure
    (as slapd's certificate syntax checks) with a made-up RSA key and
    signature, so it is deterministic; it verifies against nothing."""
    seed = hashlib.sha256(("ldapab sample certificate " + uid).encode()).digest()
    modulus = int.from_bytes(b"".join(hashlib.sha256(seed + bytes([i])).digest()
                                      for i in range(4)), "big") | (1 << 1023) | 1
    sha256_rsa = der_seq(der_oid("1.2.840.113549.1.1.11"), der(0x05, b""))
    spki = der_seq(der_seq(der_oid("1.2.840.113549.1.1.1"), der(0x05, b"")),
                   der(0x03, b"\x00" + der_seq(der_int(modulus), der_int(65537))))
    tbs = der_seq(
        der(0xA0, der_int(2)),                          # v3
        der_int(int.from_bytes(seed[:8], "big")),       # serial
        sha256_rsa,
        der_name(("2.5.4.10", "Example Corp"), ("2.5.4.3", "Example Corp Sample CA")),
        der_seq(der(0x17, b"260101000000Z"), der(0x17, b"360101000000Z")),
        der_name(("2.5.4.10", "Example Corp"), ("2.5.4.3", display_name),
                 ("1.2.840.113549.1.9.1", mail)),
        spki)
    signature = b"".join(hashlib.sha256(seed + b"sig" + bytes([i])).digest() for i in range(4))
    return der_seq(tbs, sha256_rsa, der(0x03, b"\x00" + signature))


def sample_smime(cert):
    """A certs-only PKCS#7 SignedData (RFC 2315) holding cert."""
    signed = der_seq(der_int(1), der_set(), der_seq(der_oid("1.2.840.113549.1.7.1")),
                     der(0xA0, cert), der_set())
    return der_seq(der_oid("1.2.840.113549.1.7.2"), der(0xA0, signed))


def sample_jpeg(uid):
    """A real (tiny) baseline JPEG: an 8x8 grey square, with the uid in a
    comment so every person's photo differs."""
    def seg(marker, body):
        return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body
    comment = ("ldapab sample photo of " + uid).encode("ascii")
    one_code = bytes([1] + [0] * 15) + b"\x00"          # one 1-bit code, symbol 0
    return (b"\xFF\xD8"
            + seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + seg(0xFE, comment)
            + seg(0xDB, b"\x00" + b"\x01" * 64)         # quantisation: all ones
            + seg(0xC0, b"\x08\x00\x08\x00\x08\x01\x01\x11\x00")
            + seg(0xC4, b"\x00" + one_code)             # DC: category 0
            + seg(0xC4, b"\x10" + one_code)             # AC: end of block
            + seg(0xDA, b"\x01\x01\x00\x00\x3F\x00")
            + b"\x3F"                                   # DC 0, EOB, padding
            + b"\xFF\xD9")


def b64_line(attr, data):
    return "%s:: %s" % (attr, base64.b64encode(data).decode("ascii"))


class Directory:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.people = []          # dicts, in creation order
        self.full_names = set()
        self.uids = set()
        self.mails = set()
        self.phones = set()
        self.employee = 100100
        # Random names must not take a name FIXED hands out later.
        self.reserved = {(g[0] if isinstance(g, tuple) else g, s[0] if isinstance(s, tuple) else s)
                         for g, s, _d, _o, _x in FIXED}

    def make_person(self, given, sn, dept, office, title, extras=None):
        extras = extras or {}
        locale = OFFICES[office][0]
        rng = self.rng
        if isinstance(given, tuple):
            # CJK: native cn is family name first without a space; the
            # romanised form is a second cn so users can type either.
            native = sn[0] + given[0]
            roman_given, roman_sn = given[1], sn[1]
            cns = [native, "%s %s" % (roman_given, roman_sn)]
            display = native
            given_v, sn_v = given[0], sn[0]
        else:
            roman_given, roman_sn = given, sn
            cns = ["%s %s" % (given, sn)]
            display = cns[0]
            given_v, sn_v = given, sn
        cns = extras.get("cn", cns)
        display = extras.get("displayName", display)
        key = (given_v, sn_v)
        assert key not in self.full_names, key
        self.full_names.add(key)

        g_ascii = ascii_fold(roman_given).lower()
        s_ascii = ascii_fold(roman_sn).lower()
        uid = g_ascii[0] + s_ascii
        n = 2
        while uid in self.uids:
            uid = "%s%s%d" % (g_ascii[0], s_ascii, n)
            n += 1
        self.uids.add(uid)
        mail = "%s.%s@%s" % (g_ascii, s_ascii, MAIL_DOMAIN)
        n = 2
        while mail in self.mails:
            mail = "%s.%s%d@%s" % (g_ascii, s_ascii, n, MAIL_DOMAIN)
            n += 1
        mails = extras.get("mail", [mail])
        for m in mails:
            assert m not in self.mails, m
            self.mails.add(m)

        ou = dept
        self.employee += rng.randrange(1, 9)
        _, _, phone_pat, mobile_pat, code = OFFICES[office]
        person = {
            "dn": "uid=%s,ou=%s,%s" % (uid, rdn_escape(ou), PEOPLE),
            "uid": uid,
            "cn": cns,
            "sn": sn_v,
            "givenName": given_v,
            "displayName": display,
            "mail": mails,
            "title": extras.get("title", title),
            "telephoneNumber": fill(rng, phone_pat, self.phones),
            "mobile": fill(rng, mobile_pat, self.phones) if rng.random() < 0.85 else None,
            "departmentNumber": DEPARTMENTS[dept][0] if dept in DEPARTMENTS else "1000",
            "ou": ou,
            "office": "%s %s" % (code, "%d.%02d" % (rng.randrange(1, 8), rng.randrange(1, 40))),
            "l": office,
            "employeeNumber": str(self.employee),
            "manager": None,
            "dept": dept,
            "office_city": office,
            "photo": extras.get("photo", False),
            "cert": extras.get("cert", False),
            "more": [(k, extras[k]) for k in ("initials", "homePhone", "pager",
                                              "facsimileTelephoneNumber") if k in extras],
        }
        self.people.append(person)
        return person

    def random_name(self, office):
        locale = OFFICES[office][0]
        givens, sns = NAMES[locale]
        while True:
            given = self.rng.choice(givens)
            sn = self.rng.choice(sns)
            key = (given[0] if isinstance(given, tuple) else given,
                   sn[0] if isinstance(sn, tuple) else sn)
            if key not in self.full_names and key not in self.reserved:
                return given, sn

    def random_office(self):
        cities = list(OFFICES)
        weights = [OFFICES[c][1] for c in cities]
        return self.rng.choices(cities, weights)[0]

    def build(self):
        rng = self.rng
        ceo = self.make_person("Margaret", "Thornton", EXEC_OU, "New York",
                               "Chief Executive Officer")
        ceo["photo"] = True
        for given, sn, title in (("Daniel", "Okafor", "Chief of Staff"),
                                 ("Hélène", "Rousseau", "Executive Assistant"),
                                 ("Kenji", "Mori", "Executive Assistant")):
            office = "Tokyo" if sn == "Mori" else ("Paris" if sn == "Rousseau" else "New York")
            p = self.make_person(given, sn, EXEC_OU, office, title)
            p["manager"] = ceo
        fixed_by_dept = {}
        for given, sn, dept, office, extras in FIXED:
            fixed_by_dept.setdefault(dept, []).append((given, sn, office, extras))

        self.dept_members = {EXEC_OU: [p for p in self.people]}
        for dept, (_num, count, head_title, mgr_title, titles, _alias) in DEPARTMENTS.items():
            head_office = self.random_office()
            head = self.make_person(*self.random_name(head_office), dept, head_office, head_title)
            head["photo"] = True
            head["manager"] = ceo
            staff = []
            for given, sn, office, extras in fixed_by_dept.get(dept, []):
                staff.append(self.make_person(given, sn, dept, office, rng.choice(titles), extras))
            while len(staff) < count:
                office = self.random_office()
                staff.append(self.make_person(*self.random_name(office), dept, office,
                                              rng.choice(titles)))
            # Teams of about eight, formed per office so managers sit with their team.
            staff.sort(key=lambda p: (p["office_city"], p["employeeNumber"]))
            teams = max(1, math.ceil(len(staff) / 8))
            size = math.ceil(len(staff) / teams)
            managers = []
            for t in range(teams):
                team = staff[t * size:(t + 1) * size]
                if not team:
                    continue
                office = team[0]["office_city"]
                mgr = self.make_person(*self.random_name(office), dept, office, mgr_title)
                mgr["manager"] = head
                managers.append(mgr)
                for p in team:
                    p["manager"] = mgr
            self.dept_members[dept] = [head] + managers + staff
            self.managers = getattr(self, "managers", []) + [head] + managers
        self.ceo = ceo

    # ---- output -----------------------------------------------------------
    def emit(self, out):
        w = out.write
        w("# Example Corp sample directory, generated by conf/gen-sample-directory.py\n"
          "# (seed %d).  Do not edit by hand: change the script and regenerate.\n"
          "# Non-ASCII values are base64 (\"::\") as LDIF requires; the comment above\n"
          "# such an entry shows its name.\n\n" % SEED)

        def entry(dn, lines, comment=None, binary=()):
            if comment:
                w("# %s\n" % comment)
            w(ldif_line("dn", dn) + "\n")
            for attr, value in lines:
                if value is None:
                    continue
                for v in (value if isinstance(value, list) else [value]):
                    w(ldif_line(attr, v) + "\n")
            for attr, data in binary:
                w(b64_line(attr, data) + "\n")
            w("\n")

        def binaries(p):
            out = []
            if p["photo"]:
                out.append(("jpegPhoto", sample_jpeg(p["uid"])))
            if p["cert"]:
                cert = sample_certificate(p["uid"], p["displayName"], p["mail"][0])
                out.append(("userCertificate;binary", cert))
                out.append(("userSMIMECertificate", sample_smime(cert)))
            return out

        entry(BASE, [("objectClass", ["top", "dcObject", "organization"]),
                     ("dc", "example"), ("o", "Example Corp"),
                     ("description", "Example Corp, the ldapab sample directory")])
        for ou, desc in (("People", "Employees and contractors, one sub-OU per department"),
                         ("Groups", "Distribution lists and security groups"),
                         ("Services", "Service accounts")):
            entry("ou=%s,%s" % (ou, BASE), [("objectClass", ["top", "organizationalUnit"]),
                                            ("ou", ou), ("description", desc)])
        salt = b"ldapab01"
        digest = hashlib.sha1(READER_PASSWORD.encode() + salt).digest()
        entry("cn=reader," + SERVICES,
              [("objectClass", ["top", "organizationalRole", "simpleSecurityObject"]),
               ("cn", "reader"),
               ("description", "Read-only account for address book lookups"),
               ("userPassword", "{SSHA}" + base64.b64encode(digest + salt).decode())])
        for dept in [EXEC_OU] + list(DEPARTMENTS):
            entry("ou=%s,%s" % (rdn_escape(dept), PEOPLE),
                  [("objectClass", ["top", "organizationalUnit"]), ("ou", dept)])
            for p in self.dept_members[dept]:
                comment = None
                if any(b64_needed(v) for v in p["cn"]):
                    comment = "%s (%s)" % (" / ".join(p["cn"]), p["l"])
                entry(p["dn"], [
                    ("objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]),
                    ("uid", p["uid"]), ("cn", p["cn"]), ("sn", p["sn"]),
                    ("givenName", p["givenName"]), ("displayName", p["displayName"]),
                    ("mail", p["mail"]), ("title", p["title"]),
                    ("telephoneNumber", p["telephoneNumber"]), ("mobile", p["mobile"]),
                    ("departmentNumber", p["departmentNumber"]), ("ou", p["ou"]),
                    ("physicalDeliveryOfficeName", p["office"]), ("l", p["l"]),
                    ("employeeNumber", p["employeeNumber"]),
                    ("o", "Example Corp"),
                    ("manager", p["manager"]["dn"] if p["manager"] else None),
                    ("street", OFFICE_ADDRESSES[p["l"]][0]),
                    ("postalCode", OFFICE_ADDRESSES[p["l"]][1]),
                    ("postalAddress", "$".join(OFFICE_ADDRESSES[p["l"]][2])),
                ] + p["more"], comment, binaries(p))

        def group(cn, members, mail=None, desc=None):
            dn = "cn=%s,%s" % (rdn_escape(cn), GROUPS)
            entry(dn, [("objectClass", ["top", "groupOfNames"] + (["extensibleObject"] if mail else [])),
                       ("cn", cn), ("description", desc), ("mail", mail),
                       ("member", members)],
                  cn if b64_needed(cn) else None)
            return dn

        everyone = [p["dn"] for p in self.people]
        group("Everyone", everyone, "everyone@example.com", "Every employee of Example Corp")
        leadership = [self.ceo["dn"]] + [self.dept_members[d][0]["dn"] for d in DEPARTMENTS]
        group("Leadership Team", leadership, "leadership@example.com",
              "The CEO and the heads of department")
        group("Managers", [m["dn"] for m in self.managers], None, "Everyone with direct reports")
        dept_groups = {}
        for dept, info in DEPARTMENTS.items():
            dept_groups[dept] = group(dept, [p["dn"] for p in self.dept_members[dept]],
                                      "%s@example.com" % info[5], "Everyone in %s" % dept)
        office_groups = {}
        for city in OFFICES:
            members = [p["dn"] for p in self.people if p["office_city"] == city]
            office_groups[city] = group("%s Office" % city, members, None,
                                        "Everyone based in %s" % city)
        for region, cities in REGIONS.items():
            group("All %s" % region, [office_groups[c] for c in cities],
                  "all-%s@example.com" % region.lower(),
                  "Nested: the %s office groups" % region)
        emea_sales = [p["dn"] for p in self.dept_members["Sales"]
                      if p["office_city"] in REGIONS["EMEA"]]
        group("Sales, EMEA", emea_sales, "sales-emea@example.com",
              "Sales people in Europe (the DN needs escaping)")
        falcon = [p["dn"] for p in self.dept_members["Engineering"][:6]]
        falcon.append(dept_groups["Marketing"])
        group("Project Falcon (R&D)", falcon, None,
              "Mixed members: people and the Marketing group")


def main():
    d = Directory()
    d.build()
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as f:
            d.emit(f)
    else:
        d.emit(sys.stdout)


if __name__ == "__main__":
    main()
