#!/usr/bin/env python3
"""tests/cli/test_cli_injection.py: LDAP injection through `ldapab search` and
`ldapab resolve`.

A slapd of the test's own (tests/slapd/slapd-ctl, its own run directory)
holds people whose names are filter syntax - `*`, `*)(uid=*`,
`admin)(|(objectClass=*`, `\\2a`, `a*b`, lone parentheses and backslashes -
and decoys that a filter built by pasting text would also select.  Each
literal, typed as a user would type it, must find exactly the people whose
names, surnames or accounts hold that text where the name search looks
(CT-9: a word of the name, the surname or the account starting with it):
never a decoy, never everyone.  Over-long input finds nobody and fails
cleanly; a NUL cannot be passed on a command line (execve ends the
argument there), so the C tests cover it.

Usage: test_cli_injection.py <ldapab binary> <source dir> <run dir>
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

LDAPAB = SRC = RUNDIR = None
ENV = {}
BASE = "ou=Injection,dc=example,dc=com"
EXIT_FOUND, EXIT_NOT_FOUND, EXIT_AMBIGUOUS = 0, 1, 2

LITERALS = ["*", "*)(uid=*", "admin)(|(objectClass=*", "\\2a", "a*b", "(", ")", "\\",
            "*\\2a*", "x)(mail=*"]
# uid, display name (= cn), surname
PEOPLE = [("inj%d" % i, lit + " Tail", "Literal") for i, lit in enumerate(LITERALS)] + [
    ("decoy1", "Decoy Person", "Decoy"),
    ("decoy2", "admin Decoy", "Decoy"),
    ("decoy3", "aXb Decoy", "Decoy"),
    ("decoy4", "2a Decoy", "Decoy"),
    ("decoy5", "x Decoy", "Decoy"),
]


def anr_expect(lit):
    """Names the name search must find for lit (CT-9 over inetOrgPerson)."""
    low = lit.lower()
    out = set()
    for uid, name, sn in PEOPLE:
        words = name.split(" ")
        if (uid.lower().startswith(low) or sn.lower().startswith(low)
                or any(w.lower().startswith(low) for w in words)):
            out.add(name)
    return out


def ctl(*args):
    p = subprocess.run(["bash", os.path.join(SRC, "tests", "slapd", "slapd-ctl")] + list(args),
                       capture_output=True, timeout=180)
    if p.returncode != 0:
        raise RuntimeError("slapd-ctl %s: %s" % (" ".join(args), p.stderr.decode()))


class Injection(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ctl("start", RUNDIR, "--bulk", "0", "--no-tls")
        with open(os.path.join(RUNDIR, "slapd.env")) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                ENV[k] = v
        ldif = "dn: %s\nobjectClass: organizationalUnit\nou: Injection\n\n" % BASE
        for uid, name, sn in PEOPLE:
            ldif += ("dn: uid=%s,%s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\n"
                     "displayName: %s\nsn: %s\n\n" % (uid, BASE, uid, name, name, sn))
        p = subprocess.run(["ldapadd", "-x", "-H", ENV["LDAPAB_TEST_URI"], "-D",
                            ENV["LDAPAB_TEST_ADMIN_DN"], "-w", ENV["LDAPAB_TEST_ADMIN_PW"]],
                           input=ldif.encode(), capture_output=True, timeout=60,
                           env=dict(os.environ, LDAPCONF="/dev/null"))
        if p.returncode != 0:
            ctl("stop", RUNDIR)
            raise RuntimeError("ldapadd: " + p.stderr.decode())
        cls.tmp = tempfile.TemporaryDirectory(prefix="ldapab-inj-")
        cls.conf = os.path.join(cls.tmp.name, "ldapab.conf")
        with open(cls.conf, "w") as f:
            f.write("[directory]\nuri = %s\nbase = %s\nname = Injection\n"
                    "[bind]\ndn = %s\npassword = %s\n"
                    % (ENV["LDAPAB_TEST_LDAPI_URI"], BASE, ENV["LDAPAB_TEST_BIND_DN"],
                       ENV["LDAPAB_TEST_BIND_PW"]))
        os.chmod(cls.conf, 0o600)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        ctl("stop", RUNDIR)

    def run_cli(self, *args):
        e = {k: v for k, v in os.environ.items() if not k.startswith("LDAPAB_")}
        e.update(LDAPAB_CONFIG=self.conf, LDAPCONF="/dev/null", HOME=self.tmp.name,
                 LC_ALL="C.UTF-8",
                 LDAPAB_SYSTEM_CONFIG=os.path.join(self.tmp.name, "none.conf"))
        p = subprocess.run([LDAPAB] + list(args), capture_output=True, env=e, timeout=120)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def test_search_finds_exactly_the_literal(self):
        for lit in LITERALS:
            with self.subTest(literal=lit):
                want = anr_expect(lit)
                rc, out, err = self.run_cli("-f", "json", "search", lit)
                if not want:
                    self.assertEqual(rc, EXIT_NOT_FOUND, err)
                    continue
                self.assertEqual(rc, EXIT_FOUND, err)
                got = {e["name"] for e in json.loads(out)["entries"]}
                self.assertEqual(got, want)

    def test_resolve_resolves_only_the_literal(self):
        for lit in LITERALS:
            with self.subTest(literal=lit):
                want = anr_expect(lit)
                rc, out, err = self.run_cli("-f", "json", "resolve", lit)
                res = json.loads(out)["results"][0] if out.strip() else None
                if not want:
                    self.assertEqual(rc, EXIT_NOT_FOUND, err)
                elif len(want) == 1:
                    self.assertEqual(rc, EXIT_FOUND, err)
                    self.assertEqual(res["status"], "resolved")
                    self.assertEqual(res["entry"]["name"], want.pop())
                else:
                    self.assertEqual(rc, EXIT_AMBIGUOUS, err)
                    self.assertEqual(res["status"], "ambiguous")
                    self.assertEqual({c["name"] for c in res["candidates"]}, want)

    def test_over_long_input_finds_nobody(self):
        for cmd in ("search", "resolve"):
            with self.subTest(cmd=cmd):
                rc, out, err = self.run_cli(cmd, "*)(|" * 25000)
                self.assertNotIn(rc, (EXIT_FOUND, EXIT_AMBIGUOUS), out)
                self.assertNotIn("Tail", out)
                self.assertNotIn("Decoy", out)
                self.assertLess(len(err), 2000)


if __name__ == "__main__":
    LDAPAB, SRC, RUNDIR = sys.argv[1:4]
    del sys.argv[1:4]
    unittest.main(verbosity=2)
