#!/usr/bin/env python3
"""tests/cli/test_cli.py: the ldapab command end to end against the slapd fixture.

Every run is a real `ldapab` process: configuration file -> ServiceEntry ->
Logon -> the provider -> slapd.  Outputs are checked the way their readers
read them: mutt's query_command parser, aerc's address-book-cmd, RFC 6350
vCard structure, a strict JSON parser, RFC 4180 CSV, RFC 2849 LDIF.

Usage: test_cli.py <ldapab binary> <source dir> [unittest args]
Needs LDAPAB_SLAPD_ENV (the fixture's slapd.env).
"""
import csv
import io
import json
import os
import pty
import re
import select
import socket
import stat
import subprocess
import sys
import tempfile
import unicodedata
import unittest

LDAPAB = None
SRC = None
# LDAPAB_CLI_WRAPPER: a command every ldapab run goes through (valgrind in
# the memcheck build); its own failure exit code fails the test.
WRAPPER = os.environ.get("LDAPAB_CLI_WRAPPER", "").split()
ENV = {}

EXIT_FOUND, EXIT_NOT_FOUND, EXIT_AMBIGUOUS = 0, 1, 2
EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_UNAVAILABLE = 64, 65, 66, 69
EX_NOPERM, EX_CONFIG = 77, 78


def load_env(need_ad):
    """The fixture's KEY=VALUE file: slapd.env, or samba.env for the AD class."""
    var = "LDAPAB_SAMBA_ENV" if need_ad else "LDAPAB_SLAPD_ENV"
    path = os.environ.get(var)
    if not path or not os.path.exists(path):
        print("%s not set or missing: the fixture did not run" % var)
        sys.exit(1)
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            ENV[k] = v


def strict_json(text):
    """json.loads that refuses duplicate keys and NaN/Infinity."""
    def pairs(items):
        keys = [k for k, _ in items]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key in %r" % keys)
        return dict(items)

    def no_constants(c):
        raise ValueError("non-standard constant %s" % c)
    return json.loads(text, object_pairs_hook=pairs, parse_constant=no_constants)


def display_width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def ldif_member_count(rdn):
    """member values of the group whose DN starts with rdn, from the sample LDIF."""
    with open(os.path.join(SRC, "conf", "sample-directory.ldif"), encoding="utf-8") as f:
        text = f.read().replace("\n ", "")
    for block in text.split("\n\n"):
        if block.startswith("dn: %s," % rdn):
            return sum(1 for l in block.split("\n") if l.startswith("member:"))
    raise KeyError(rdn)


def ldif_photo(uid):
    """The decoded jpegPhoto of uid=<uid> in the sample LDIF, or None."""
    import base64
    with open(os.path.join(SRC, "conf", "sample-directory.ldif"), encoding="utf-8") as f:
        text = f.read().replace("\n ", "")
    for block in text.split("\n\n"):
        if block.startswith("dn: uid=%s," % uid):
            for l in block.split("\n"):
                if l.startswith("jpegPhoto:: "):
                    return base64.b64decode(l[len("jpegPhoto:: "):])
            return None
    raise KeyError(uid)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class CliCase(unittest.TestCase):
    """Each test gets a private directory with a configuration file."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="ldapab-cli-")
        self.dir = self.tmp.name
        self.conf = self.write_conf("ldapab.conf", self.base_conf())

    def tearDown(self):
        self.tmp.cleanup()

    def base_conf(self, name="Example Corp"):
        return ("[directory]\nuri = %s\nbase = %s\nname = %s\n"
                % (ENV["LDAPAB_TEST_URI"], ENV["LDAPAB_TEST_BASE"], name))

    def write_conf(self, fname, text, mode=0o600):
        path = os.path.join(self.dir, fname)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def run_cli(self, *args, conf=True, env=None, stderr_tty=False, cols="200"):
        e = {k: v for k, v in os.environ.items()
             if not k.startswith("LDAPAB_") or k in ("LDAPAB_SLAPD_ENV",)}
        e.pop("XDG_CONFIG_HOME", None)
        e["HOME"] = self.dir
        e["LDAPCONF"] = "/dev/null"
        e["LDAPAB_SYSTEM_CONFIG"] = os.path.join(self.dir, "no-system.conf")
        e["COLUMNS"] = cols
        e["LC_ALL"] = "C.UTF-8"
        if conf:
            e["LDAPAB_CONFIG"] = self.conf
        if env:
            for k, v in env.items():
                if v is None:
                    e.pop(k, None)
                else:
                    e[k] = v
        cmd = WRAPPER + [LDAPAB] + list(args)
        if not stderr_tty:
            p = subprocess.run(cmd, capture_output=True, env=e, timeout=120)
            if ON_WINDOWS and p.returncode == 1 and b"wine client error" in p.stderr:
                # Wine failed to reach its wineserver (one exiting as the
                # program started) before ldapab.exe ran: Wine's failure,
                # tried once more.  ldapab's own exit codes never are.
                print("wine could not start ldapab.exe, once more: %s"
                      % p.stderr.decode("utf-8", "replace").strip())
                p = subprocess.run(cmd, capture_output=True, env=e, timeout=120)
            return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
        master, slave = pty.openpty()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave,
                             env=e)
        os.close(slave)
        err = b""
        out = b""
        while True:
            r, _, _ = select.select([master, p.stdout], [], [], 60)
            if not r:
                break
            if master in r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if chunk:
                    err += chunk
            if p.stdout in r:
                chunk = p.stdout.read1(65536)
                if not chunk:
                    break
                out += chunk
        p.wait(timeout=60)
        try:
            while True:
                r, _, _ = select.select([master], [], [], 0.2)
                if not r:
                    break
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                err += chunk
        except OSError:
            pass
        os.close(master)
        return p.returncode, out.decode("utf-8"), err.decode("utf-8", "replace")

    def vcard_lines(self, raw):
        self.assertTrue(raw.endswith("\r\n"))
        self.assertNotIn("\n", raw.replace("\r\n", ""), "bare LF in a vCard")
        phys = raw[:-2].split("\r\n")
        for l in phys:
            self.assertLessEqual(len(l.encode("utf-8")), 75, l)
        # RFC 6350 3.2: unfold (CRLF + one space or tab).
        logical = []
        for l in phys:
            if l[:1] in (" ", "\t"):
                logical[-1] += l[1:]
            else:
                logical.append(l)
        return logical

    def check_vcards(self, text, minimum):
        logical = self.vcard_lines(text)
        cards, cur = [], None
        prop_re = re.compile(r'^([A-Za-z0-9-]+)((;[A-Za-z0-9-]+=("[^"]*"|[^";:]*)(,("[^"]*"|[^";:,]*))*)*):(.*)$')
        for l in logical:
            m = prop_re.match(l)
            self.assertIsNotNone(m, "not a content line: %r" % l)
            name = m.group(1).upper()
            if name == "BEGIN":
                self.assertIsNone(cur)
                self.assertEqual(m.group(7), "VCARD")
                cur = []
            elif name == "END":
                self.assertEqual(m.group(7), "VCARD")
                cards.append(cur)
                cur = None
            else:
                self.assertIsNotNone(cur, "property outside BEGIN/END")
                cur.append((name, m.group(2), m.group(7)))
        self.assertIsNone(cur)
        self.assertGreaterEqual(len(cards), minimum)
        for c in cards:
            self.assertEqual(c[0], ("VERSION", "", "4.0"), "VERSION must follow BEGIN")
            self.assertEqual(sum(1 for p in c if p[0] == "FN"), 1)
            for name, params, value in c:
                # TEXT escaping: an unescaped comma or semicolon only in compound values.
                if name in ("FN", "TITLE", "NOTE"):
                    self.assertIsNone(re.search(r"(?<!\\)[,;]", value), (name, value))
        return cards

    def assertOneLineError(self, err):
        # The provider's own log lines ("ldapab: warning: ...") may precede it.
        lines = [l for l in err.splitlines() if l and not l.startswith("ldapab: warning: ")]
        self.assertEqual(len(lines), 1, "expected one error line, got %r" % err)
        self.assertTrue(lines[0].startswith("ldapab: "), lines[0])


# ---------------------------------------------------------------------------
class TestSubcommands(CliCase):
    def test_containers_lists_the_configured_container(self):
        rc, out, err = self.run_cli("containers")
        self.assertEqual(rc, 0, err)
        self.assertIn("Example Corp", out)

    def test_containers_json_has_recipients_flag(self):
        rc, out, err = self.run_cli("-f", "json", "containers")
        self.assertEqual(rc, 0, err)
        doc = strict_json(out)
        self.assertEqual([c["name"] for c in doc["containers"]], ["Example Corp"])
        self.assertTrue(doc["containers"][0]["recipients"])

    def test_resolve_unique_name(self):
        rc, out, err = self.run_cli("resolve", "Mary Johnson")
        self.assertEqual(rc, EXIT_FOUND, err)
        self.assertIn("Mary Johnson <mary.johnson@example.com>", out)

    def test_resolve_ambiguous_lists_candidates_exit_2(self):
        rc, out, err = self.run_cli("-f", "json", "resolve", "chris")
        self.assertEqual(rc, EXIT_AMBIGUOUS, err)
        doc = strict_json(out)
        r = doc["results"][0]
        self.assertEqual(r["status"], "ambiguous")
        names = {c["name"] for c in r["candidates"]}
        self.assertIn("Chris Smith", names)
        self.assertIn("Christopher Smith", names)
        self.assertGreaterEqual(len(names), 4)

    def test_resolve_not_found_exit_1(self):
        rc, out, err = self.run_cli("resolve", "Zebulon Nobody")
        self.assertEqual(rc, EXIT_NOT_FOUND, err)
        self.assertIn("not found", out)

    def test_resolve_several_names_separated_by_semicolons(self):
        rc, out, err = self.run_cli("-f", "json", "resolve", "Mary Johnson; Zebulon Nobody")
        self.assertEqual(rc, EXIT_NOT_FOUND, err)
        statuses = [r["status"] for r in strict_json(out)["results"]]
        self.assertEqual(statuses, ["resolved", "not_found"])

    def test_resolve_custom_recipient_is_a_one_off(self):
        rc, out, err = self.run_cli("-f", "json", "resolve", "SMTP:someone@elsewhere.org")
        self.assertEqual(rc, EXIT_FOUND, err)
        e = strict_json(out)["results"][0]["entry"]
        self.assertEqual(e["email"], "someone@elsewhere.org")

    def test_search_finds_by_anr_prefixes(self):
        rc, out, err = self.run_cli("-f", "json", "search", "mary", "jo")
        self.assertEqual(rc, EXIT_FOUND, err)
        names = [e["name"] for e in strict_json(out)["entries"]]
        self.assertIn("Mary Johnson", names)
        self.assertNotIn("Mary Harris", names)

    def test_search_no_match_exit_1(self):
        rc, out, err = self.run_cli("search", "qqqxyzzy")
        self.assertEqual(rc, EXIT_NOT_FOUND)
        self.assertOneLineError(err)

    def test_search_words_as_one_or_several_arguments_alike(self):
        a = self.run_cli("-f", "aerc", "search", "mary johnson")
        b = self.run_cli("-f", "aerc", "search", "mary", "johnson")
        c = self.run_cli("-f", "aerc", "search", "  mary   johnson ")
        self.assertEqual(a[0], 0, a[2])
        self.assertEqual(a, b)
        self.assertEqual(a, c)

    def test_search_count_limits_rows(self):
        rc, out, err = self.run_cli("-f", "json", "search", "-n", "3", "a")
        self.assertEqual(rc, 0, err)
        doc = strict_json(out)
        self.assertEqual(doc["count"], 3)
        self.assertTrue(doc["truncated"])

    def test_search_in_named_container(self):
        rc, out, err = self.run_cli("-f", "json", "search", "-C", "Example Corp", "søren")
        self.assertEqual(rc, 0, err)
        self.assertIn("Søren Ødegård", [e["name"] for e in strict_json(out)["entries"]])

    def test_search_unknown_container_is_usage_error(self):
        rc, out, err = self.run_cli("search", "-C", "Nope", "mary")
        self.assertEqual(rc, EX_USAGE)
        self.assertOneLineError(err)

    def test_show_person_every_labelled_property(self):
        rc, out, err = self.run_cli("show", "Mary Johnson")
        self.assertEqual(rc, 0, err)
        for label, value in (("Name", "Mary Johnson"), ("Title", "Account Executive"),
                             ("E-mail", "mary.johnson@example.com"), ("City", "New York"),
                             ("Other e-mail", "mjohnson@example.com")):
            self.assertRegex(out, r"(?m)^%s +%s$" % (re.escape(label), re.escape(value)))
        self.assertIn("mary.johnson@sales.example.com", out)
        # The postal address's lines (LDAP's "$" separators, CRLF in MAPI)
        # continue under each other, with no replacement characters.
        self.assertRegex(out, r"(?m)^Postal address +Example Corp\n +350 Example Avenue\n"
                              r" +New York, NY 10001\n +USA$")
        self.assertNotIn("\ufffd", out)

    def test_show_by_entry_id_from_json(self):
        rc, out, err = self.run_cli("-f", "json", "show", "Mary Johnson")
        self.assertEqual(rc, 0, err)
        doc = strict_json(out)
        eid = doc["entry_id"]
        self.assertRegex(eid, r"^[0-9a-f]{40,}$")
        rc, out2, err = self.run_cli("-f", "json", "show", eid)
        self.assertEqual(rc, 0, err)
        self.assertEqual(strict_json(out2), doc)

    def test_show_malformed_entry_id_is_dataerr(self):
        rc, out, err = self.run_cli("show", "00" * 30)
        self.assertEqual(rc, EX_DATAERR)
        self.assertOneLineError(err)

    def test_show_ambiguous_exit_2_with_candidates(self):
        rc, out, err = self.run_cli("-f", "json", "show", "smith")
        self.assertEqual(rc, EXIT_AMBIGUOUS)
        self.assertGreater(strict_json(out)["count"], 1)
        self.assertOneLineError(err)

    def test_show_photo_saved_or_absent(self):
        # Whoever has a jpegPhoto in the sample LDIF gets it saved byte for
        # byte; whoever has none gets exit 1 and no file.
        for uid, name in (("mjohnson", "Mary Johnson"), ("csmith", "Chris Smith")):
            with self.subTest(name=name):
                want = ldif_photo(uid)
                photo = os.path.join(self.dir, uid + ".jpg")
                rc, out, err = self.run_cli("show", "--photo", photo, name)
                if want is None:
                    self.assertEqual(rc, EXIT_NOT_FOUND, err)
                    self.assertFalse(os.path.exists(photo))
                else:
                    self.assertEqual(rc, 0, err)
                    with open(photo, "rb") as f:
                        self.assertEqual(f.read(), want)

    def test_show_group(self):
        rc, out, err = self.run_cli("-f", "json", "show", "Leadership Team")
        self.assertEqual(rc, 0, err)
        self.assertEqual(strict_json(out)["type"], "group")

    def test_members_one_level(self):
        rc, out, err = self.run_cli("-f", "json", "members", "Leadership Team")
        self.assertEqual(rc, 0, err)
        names = {e["name"] for e in strict_json(out)["entries"]}
        self.assertIn("Margaret Thornton", names)
        self.assertEqual(len(names), ldif_member_count("cn=Leadership Team"))

    def test_members_nested_groups_shown_then_expanded(self):
        rc, out, err = self.run_cli("-f", "json", "members", "All EMEA")
        self.assertEqual(rc, 0, err)
        flat = strict_json(out)["entries"]
        self.assertTrue(flat)
        self.assertTrue(all(e["type"] == "group" for e in flat), flat)
        rc, out, err = self.run_cli("-f", "json", "members", "--expand", "All EMEA")
        self.assertEqual(rc, 0, err)
        people = strict_json(out)["entries"]
        self.assertGreater(len(people), len(flat))
        self.assertTrue(all(e["type"] == "person" for e in people))
        eids = [e["entry_id"] for e in people]
        self.assertEqual(len(eids), len(set(eids)), "a person listed twice")
        self.assertTrue(all(e.get("via") for e in people))

    def test_members_of_a_person_is_dataerr(self):
        rc, out, err = self.run_cli("members", "Mary Johnson")
        self.assertEqual(rc, EX_DATAERR)
        self.assertOneLineError(err)

    def test_browse_from_prefix_type_down(self):
        rc, out, err = self.run_cli("-f", "json", "browse", "--from", "Sø", "-n", "3")
        self.assertEqual(rc, 0, err)
        names = [e["name"] for e in strict_json(out)["entries"]]
        self.assertEqual(len(names), 3)
        self.assertTrue(names[0].startswith("S"), names)

    def test_browse_offset_moves_the_window(self):
        rc, out, err = self.run_cli("-f", "json", "browse", "-n", "4")
        self.assertEqual(rc, 0, err)
        first = [e["name"] for e in strict_json(out)["entries"]]
        rc, out, err = self.run_cli("-f", "json", "browse", "--offset", "2", "-n", "2")
        self.assertEqual(rc, 0, err)
        self.assertEqual([e["name"] for e in strict_json(out)["entries"]], first[2:4])

    def test_export_every_entry_as_csv(self):
        rc, out, err = self.run_cli("-f", "csv", "export")
        self.assertEqual(rc, 0, err)
        self.assertIn("\r\n", out)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        # 334 people and 27 groups in the sample directory.
        self.assertEqual(len(rows), 334 + 27)
        self.assertEqual(len({r["entry_id"] for r in rows}), len(rows))
        self.assertIn("Björn Öberg", {r["name"] for r in rows})

    def test_export_reads_past_the_size_limit_page_by_page_TB19(self):
        # The bulk base holds more people than the size limit (100) and the
        # server's plain-search cap (500): export must page through all.
        self.conf = self.write_conf("bulk.conf", "[directory]\nuri = %s\nbase = %s\n"
                                    "[limits]\npage_size = 500\n" % (
                                        ENV["LDAPAB_TEST_URI"], ENV["LDAPAB_TEST_BULK_BASE"]))
        rc, out, err = self.run_cli("-f", "json", "export")
        self.assertEqual(rc, 0, err)
        doc = strict_json(out)
        n = int(ENV["LDAPAB_TEST_BULK_COUNT"])
        self.assertGreater(n, 500)
        self.assertEqual(doc["count"], n)
        names = [e["name"] for e in doc["entries"]]
        self.assertEqual(len(set(names)), n)
        # Sorted by display name (gen-bulk.py numbers them from 1).
        self.assertEqual(names, ["Bulk Person %06d" % p for p in range(1, n + 1)])

    def test_export_to_file_ldif(self):
        path = os.path.join(self.dir, "out.ldif")
        rc, out, err = self.run_cli("-f", "ldif", "export", "-o", path)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("version: 1\n"))
        records = [r for r in text.split("\n\n")[1:] if r.strip()]
        self.assertEqual(len(records), 334 + 27)
        for r in records:
            lines = r.strip("\n").split("\n")
            self.assertRegex(lines[0], r"^dn::? ")
            for l in lines[1:]:
                self.assertRegex(l, r"^[A-Za-z][A-Za-z0-9-]*::? ")

    def test_export_progress_bar_only_on_a_terminal(self):
        rc, out, err = self.run_cli("-f", "json", "export")
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        self.assertEqual(len(strict_json(out)["entries"]), 334 + 27)
        rc, out2, err2 = self.run_cli("-f", "json", "export", stderr_tty=True)
        self.assertEqual(rc, 0, err2)
        # A console emulator (Wine's, for ldapab.exe) may redraw the text
        # with cursor sequences of its own between the characters.
        self.assertIn("exporting", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", err2))
        self.assertIn("\r", err2)
        self.assertEqual(strict_json(out2), strict_json(out))


# ---------------------------------------------------------------------------
class TestFormats(CliCase):
    def parse_mutt(self, out):
        """What mutt's query.c does: skip the first line, split the others at tabs."""
        lines = out.split("\n")
        self.assertEqual(lines[-1], "", "output must end with a newline")
        entries = []
        for line in lines[1:-1]:
            fields = line.split("\t")
            self.assertGreaterEqual(len(fields), 2, line)
            self.assertLessEqual(len(fields), 3, line)
            entries.append(fields)
        return lines[0], entries

    def test_mutt_header_then_address_name_other(self):
        rc, out, err = self.run_cli("-f", "mutt", "search", "mary johnson")
        self.assertEqual(rc, 0)
        self.assertEqual(err, "")
        header, entries = self.parse_mutt(out)
        self.assertIn("mary johnson", header)
        addrs = [e[0] for e in entries]
        # Every address of the person, primary first.
        self.assertEqual(addrs, ["mary.johnson@example.com", "mjohnson@example.com",
                                 "mary.johnson@sales.example.com"])
        self.assertTrue(all(e[1] == "Mary Johnson" for e in entries))
        self.assertTrue(entries[0][2].startswith("primary"))
        self.assertTrue(entries[1][2].startswith("alias"))

    def test_mutt_no_match_one_line_and_nonzero(self):
        rc, out, err = self.run_cli("-f", "mutt", "search", "qqqxyzzy")
        self.assertEqual(rc, EXIT_NOT_FOUND)
        self.assertEqual(err, "")
        self.assertEqual(out.count("\n"), 1)
        self.assertIn("qqqxyzzy", out)

    def test_mutt_stderr_silent_even_with_provider_warnings(self):
        # reqcert = allow over ldaps makes the provider warn on every connection.
        self.conf = self.write_conf("warn.conf", "[directory]\nuri = %s\nbase = %s\n"
                                    "[tls]\nreqcert = allow\n" % (
                                        ENV["LDAPAB_TEST_LDAPS_URI"], ENV["LDAPAB_TEST_BASE"]))
        rc, out, err = self.run_cli("-f", "table", "search", "mary johnson")
        self.assertEqual(rc, 0, err)
        self.assertIn("warning", err)
        rc, out, err = self.run_cli("-f", "mutt", "search", "mary johnson")
        self.assertEqual(rc, 0)
        self.assertEqual(err, "")
        rc, out, err = self.run_cli("-f", "aerc", "search", "mary johnson")
        self.assertEqual(rc, 0)
        self.assertEqual(err, "")

    def test_mutt_failure_says_one_line_on_stderr(self):
        self.conf = self.write_conf("dead.conf", "[directory]\nuri = ldap://127.0.0.1:%d\n"
                                    "[limits]\nconnect_timeout = 2\nop_timeout = 2\n"
                                    % closed_port())
        rc, out, err = self.run_cli("-f", "mutt", "search", "mary")
        self.assertEqual(rc, EX_UNAVAILABLE)
        self.assertOneLineError(err)

    def test_aerc_lines_without_header(self):
        rc, out, err = self.run_cli("-f", "aerc", "search", "søren")
        self.assertEqual(rc, 0)
        self.assertEqual(err, "")
        lines = out.splitlines()
        self.assertTrue(lines)
        for l in lines:
            addr, name = l.split("\t")
            self.assertIn("@", addr)
        self.assertIn("soren.odegard@example.com\tSøren Ødegård", lines)

    def test_json_search_shape_is_stable(self):
        rc, out, err = self.run_cli("-f", "json", "search", "Mary Johnson")
        self.assertEqual(rc, 0, err)
        doc = strict_json(out)
        self.assertEqual(set(doc), {"query", "count", "truncated", "entries"})
        e = doc["entries"][0]
        for key in ("type", "name", "email", "addresses", "entry_id"):
            self.assertIn(key, e)
        self.assertEqual(e["type"], "person")
        self.assertEqual(e["addresses"][0], e["email"])

    def test_json_non_ascii_names_are_real_utf8(self):
        rc, out, err = self.run_cli("-f", "json", "search", "佐藤")
        self.assertEqual(rc, 0, err)
        names = {e["name"] for e in strict_json(out)["entries"]}
        self.assertIn("佐藤健", names)

    def test_vcard_structure_rfc6350(self):
        rc, out, err = self.run_cli("-f", "vcard", "search", "smith")
        self.assertEqual(rc, 0, err)
        cards = self.check_vcards(out, 3)
        fns = [v for c in cards for n, _, v in c if n == "FN"]
        self.assertIn("Chris Smith", fns)

    def test_vcard_folding_keeps_utf8_whole(self):
        rc, out, err = self.run_cli("-f", "vcard", "export")
        self.assertEqual(rc, 0, err)
        out.encode("utf-8")     # decoding already proved no split sequence
        cards = self.check_vcards(out, 334 + 27)
        escaped = [v for c in cards for n, _, v in c if n == "FN" and "\\," in v]
        self.assertIn("Sales\\, EMEA", escaped)
        kinds = {v for c in cards for n, _, v in c if n == "KIND"}
        self.assertEqual(kinds, {"individual", "group"})

    def test_table_fits_the_terminal_width_with_wide_characters(self):
        for cols in ("60", "80", "120"):
            rc, out, err = self.run_cli("search", "佐藤", cols=cols)
            self.assertEqual(rc, 0, err)
            for l in out.splitlines():
                self.assertLessEqual(display_width(l), int(cols), (cols, l))
            self.assertIn("佐藤健", out)

    def test_table_columns_line_up_with_non_ascii(self):
        rc, out, err = self.run_cli("search", "søren", cols="200")
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        col = lines[0].index("E-mail")
        for l in lines[2:]:
            prefix = l[:len(l)]
            # The e-mail column starts at the same display column on every row.
            at = l.index("@")
            start = l.rindex(" ", 0, at) + 1
            self.assertEqual(display_width(l[:start]), col, l)

    def test_csv_quotes_commas(self):
        rc, out, err = self.run_cli("-f", "csv", "search", "sales emea")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        self.assertIn("Sales, EMEA", [r["name"] for r in rows])
        self.assertIn('"Sales, EMEA"', out)


# ---------------------------------------------------------------------------
class TestConfiguration(CliCase):
    def full_conf(self, pwfile):
        return ("# every key\n"
                "[directory]\nuri = %s\nbase = %s\nname = Everything\nbrowse = search\n"
                "schema = inetorgperson\nperson_filter = (objectClass=inetOrgPerson)\n"
                "group_filter = (objectClass=groupOfNames)\n"
                "[bind]\nmethod = simple\ndn = %s\npassword_file = %s\nallow_insecure = no\n"
                "[tls]\nmode = starttls\nca_file = %s\nca_dir = %s\nreqcert = demand\n"
                "[limits]\nconnect_timeout = 5\nop_timeout = 7\ntime_limit = 30\n"
                "size_limit = 50\npage_size = 500\nfailover_backoff = 45\n"
                "[attributes]\nPR_NICKNAME = uid\n"
                "[containers]\nEveryone = %s\nGroups = ou=Groups,%s | (objectClass=groupOfNames)\n"
                "[command]\nmodule = %s\n"
                % (ENV["LDAPAB_TEST_URI"], ENV["LDAPAB_TEST_BASE"], ENV["LDAPAB_TEST_BIND_DN"],
                   pwfile, ENV["LDAPAB_TEST_CA"], os.path.dirname(ENV["LDAPAB_TEST_CA"]),
                   ENV["LDAPAB_TEST_BASE"], ENV["LDAPAB_TEST_BASE"], MODULE))

    def pwfile(self, mode=0o600):
        return self.write_conf("pw", ENV["LDAPAB_TEST_BIND_PW"] + "\n", mode)

    def test_every_key_accepted_and_used(self):
        self.conf = self.write_conf("full.conf", self.full_conf(self.pwfile()))
        rc, out, err = self.run_cli("-f", "json", "containers")
        self.assertEqual(rc, 0, err)
        self.assertEqual([c["name"] for c in strict_json(out)["containers"]],
                         ["Everyone", "Groups"])
        rc, out, err = self.run_cli("-f", "json", "show", "Mary Johnson")
        self.assertEqual(rc, 0, err)
        self.assertEqual(strict_json(out)["nickname"], "mjohnson")   # the attribute map
        rc, out, err = self.run_cli("-f", "json", "search", "-C", "Groups", "leadership")
        self.assertEqual(rc, 0, err)
        self.assertEqual([e["type"] for e in strict_json(out)["entries"]], ["group"])

    BAD = [
        ("[bind]\nmethod = kerberos\n", 5, "bind.method"),
        ("[tls]\nmode = ssl\n", 5, "tls.mode"),
        ("[tls]\nreqcert = maybe\n", 5, "tls.reqcert"),
        ("[directory]\n", None, None),
        ("[limits]\nconnect_timeout = 0\n", 5, "limits.connect_timeout"),
        ("[limits]\nop_timeout = 99999\n", 5, "limits.op_timeout"),
        ("[limits]\ntime_limit = -1\n", 5, "limits.time_limit"),
        ("[limits]\nsize_limit = lots\n", 5, "limits.size_limit"),
        ("[limits]\nfailover_backoff = 601\n", 5, "limits.failover_backoff"),
        ("[limits]\npage_size = 100001\n", 5, "limits.page_size"),
        ("[bind]\nallow_insecure = perhaps\n", 5, "bind.allow_insecure"),
        ("[limits]\nsize_limit = 5\nsize_limit = 6\n", 6, "limits.size_limit"),
        ("[limits]\nsizelimit = 5\n", 5, "limits.sizelimit"),
        ("[nonsense]\nx = 1\n", 5, "nonsense.x"),
        ("this is not ini\n", 4, None),
    ]

    def test_bad_values_name_file_line_and_key(self):
        for extra, line, key in self.BAD:
            if line is None:
                continue
            with self.subTest(extra=extra):
                text = ("[directory]\nuri = %s\nbase = %s\n" % (ENV["LDAPAB_TEST_URI"],
                                                               ENV["LDAPAB_TEST_BASE"]))
                text = text + extra if not extra.startswith("[directory]") else text
                self.conf = self.write_conf("bad.conf", text)
                rc, out, err = self.run_cli("containers")
                self.assertEqual(rc, EX_CONFIG, err)
                self.assertOneLineError(err)
                self.assertIn("%s:%d:" % (self.conf, line), err)
                if key:
                    self.assertIn(key, err)

    def test_provider_checks_are_reported_at_the_line(self):
        cases = [
            ("base = not a dn\n", "directory.base", "PR_LDAPAB_BASE_DN"),
            ("uri = http://example.com\n", "directory.uri", "PR_LDAPAB_SERVER_URIS"),
            ("person_filter = objectClass=person\n", "directory.person_filter",
             "PR_LDAPAB_PERSON_FILTER"),
        ]
        for line, key, prop in cases:
            with self.subTest(line=line):
                text = "[directory]\n" + line
                if not line.startswith("uri"):
                    text += "uri = %s\n" % ENV["LDAPAB_TEST_URI"]
                self.conf = self.write_conf("prov.conf", text)
                rc, out, err = self.run_cli("containers")
                self.assertEqual(rc, EX_CONFIG, err)
                self.assertOneLineError(err)
                self.assertIn("%s:2: %s:" % (self.conf, key), err)
                self.assertIn(prop, err)

    def test_long_container_line_read_whole(self):
        # A container line far past 1 KiB (lines may hold 8000 bytes): its filter
        # must reach the provider whole, not cut at some buffer's end.
        nots = "".join("(!(uid=nobody%03d))" % i for i in range(150))
        self.conf = self.write_conf("long.conf", self.base_conf() +
                                    "[containers]\nPeople = ou=People,%s | (&%s(cn=Mary*))\n"
                                    % (ENV["LDAPAB_TEST_BASE"], nots))
        rc, out, err = self.run_cli("-f", "json", "search", "-C", "People", "mary johnson")
        self.assertEqual(rc, 0, err)
        self.assertIn("Mary Johnson", [e["name"] for e in strict_json(out)["entries"]])

    def test_attribute_map_error_names_its_own_line(self):
        self.conf = self.write_conf("am.conf", self.base_conf() +
                                    "[attributes]\nPR_TITLE = title\nPR_BOGUS = cn\n")
        rc, out, err = self.run_cli("containers")
        self.assertEqual(rc, EX_CONFIG, err)
        self.assertIn("%s:7: [attributes]" % self.conf, err)

    def test_missing_file(self):
        rc, out, err = self.run_cli("-c", os.path.join(self.dir, "nope.conf"), "containers")
        self.assertEqual(rc, EX_NOINPUT)
        self.assertOneLineError(err)
        rc, out, err = self.run_cli("containers", conf=False,
                                    env={"LDAPAB_CONFIG": os.path.join(self.dir, "nope")})
        self.assertEqual(rc, EX_NOINPUT)
        rc, out, err = self.run_cli("-c", self.dir, "containers")
        self.assertEqual(rc, EX_NOINPUT)
        self.assertOneLineError(err)

    def test_no_configuration_at_all(self):
        rc, out, err = self.run_cli("containers", conf=False)
        self.assertEqual(rc, EX_CONFIG)
        self.assertOneLineError(err)
        self.assertIn("ldapab.conf", err)

    def test_world_readable_password_file_refused(self):
        pw = self.pwfile(0o644)
        self.conf = self.write_conf("pw.conf", self.base_conf() +
                                    "[bind]\ndn = %s\npassword_file = %s\n[tls]\nmode = starttls\n"
                                    "ca_file = %s\n" % (ENV["LDAPAB_TEST_BIND_DN"], pw,
                                                        ENV["LDAPAB_TEST_CA"]))
        rc, out, err = self.run_cli("containers")
        self.assertEqual(rc, EX_NOPERM)
        self.assertOneLineError(err)
        self.assertIn("chmod 600", err)
        os.chmod(pw, 0o600)
        rc, out, err = self.run_cli("search", "mary johnson")
        self.assertEqual(rc, 0, err)

    def test_unreadable_password_file(self):
        self.conf = self.write_conf("pw.conf", self.base_conf() +
                                    "[bind]\ndn = x\npassword_file = %s/none\n" % self.dir)
        rc, out, err = self.run_cli("containers")
        self.assertEqual(rc, EX_NOINPUT)
        self.assertOneLineError(err)

    def test_inline_password_in_readable_file_refused(self):
        text = self.base_conf() + "[bind]\ndn = %s\npassword = %s\n" % (
            ENV["LDAPAB_TEST_BIND_DN"], ENV["LDAPAB_TEST_BIND_PW"])
        self.conf = self.write_conf("inline.conf", text, 0o644)
        rc, out, err = self.run_cli("containers")
        self.assertEqual(rc, EX_NOPERM)
        self.assertNotIn(ENV["LDAPAB_TEST_BIND_PW"], err)

    def test_malformed_password_not_echoed(self):
        path = os.path.join(self.dir, "badpw.conf")
        with open(path, "wb") as f:
            f.write(self.base_conf().encode() +
                    b"[bind]\ndn = cn=x,dc=example,dc=com\npassword = s\xd1cr3t-pw\n")
        os.chmod(path, 0o600)
        p = subprocess.run(WRAPPER + [LDAPAB, "containers"], capture_output=True, timeout=120,
                           env=dict(os.environ, LDAPAB_CONFIG=path, LDAPCONF="/dev/null"))
        self.assertEqual(p.returncode, EX_CONFIG, p.stderr)
        self.assertIn(b"%s:7: bind.password" % path.encode(), p.stderr)
        self.assertNotIn(b"cr3t-pw", p.stderr + p.stdout)

    def test_password_never_printed(self):
        secret = ENV["LDAPAB_TEST_BIND_PW"]
        text = ("[directory]\nuri = %s\nbase = %s\n[bind]\ndn = %s\npassword = %s\n"
                "[tls]\nmode = starttls\nca_file = %s\n" % (
                    ENV["LDAPAB_TEST_URI"], ENV["LDAPAB_TEST_BASE"], ENV["LDAPAB_TEST_BIND_DN"],
                    secret, ENV["LDAPAB_TEST_CA"]))
        self.conf = self.write_conf("secret.conf", text)
        for args in (("doctor",), ("-v", "search", "mary"), ("-f", "json", "show", "Mary Johnson")):
            rc, out, err = self.run_cli(*args)
            self.assertEqual(rc, 0, (args, err))
            self.assertNotIn(secret, out + err)
        # A wrong password: refused, still not printed.
        self.conf = self.write_conf("wrong.conf", text.replace(secret, "wrong-" + secret))
        rc, out, err = self.run_cli("search", "mary")
        self.assertEqual(rc, EX_NOPERM, err)
        self.assertNotIn(secret, out + err)

    def test_precedence_c_env_xdg_etc_ldapconf(self):
        c = self.write_conf("c.conf", self.base_conf("From -c"))
        env = self.write_conf("env.conf", self.base_conf("From env"))
        xdg_dir = os.path.join(self.dir, "xdg", "ldapab")
        os.makedirs(xdg_dir)
        xdg = os.path.join(xdg_dir, "ldapab.conf")
        with open(xdg, "w") as f:
            f.write(self.base_conf("From XDG"))
        etc = self.write_conf("etc.conf", self.base_conf("From etc"))
        ldapconf = self.write_conf("ldap.conf", "URI %s\nBASE %s\n" % (
            ENV["LDAPAB_TEST_URI"], ENV["LDAPAB_TEST_BASE"]))

        def name(**kw):
            e = {"XDG_CONFIG_HOME": os.path.join(self.dir, "xdg"),
                 "LDAPAB_SYSTEM_CONFIG": etc, "LDAPCONF": ldapconf, "LDAPAB_CONFIG": env}
            e.update(kw)
            args = ["-f", "json", "containers"]
            if kw.pop("c", False):
                args = ["-c", c] + args
            rc, out, err = self.run_cli(*args, conf=False, env={k: v for k, v in e.items()
                                                                  if k != "c"})
            self.assertEqual(rc, 0, err)
            return strict_json(out)["containers"][0]["name"]

        self.assertEqual(name(c=True), "From -c")
        self.assertEqual(name(), "From env")
        self.assertEqual(name(LDAPAB_CONFIG=None), "From XDG")
        self.assertEqual(name(LDAPAB_CONFIG=None, XDG_CONFIG_HOME=os.path.join(self.dir, "none")),
                         "From etc")
        self.assertEqual(name(LDAPAB_CONFIG=None, XDG_CONFIG_HOME=os.path.join(self.dir, "none"),
                              LDAPAB_SYSTEM_CONFIG=os.path.join(self.dir, "none.conf")),
                         "LDAP Directory")

    def test_ldapconf_fills_unset_base(self):
        self.conf = self.write_conf("nobase.conf", "[directory]\nuri = %s\n"
                                    % ENV["LDAPAB_TEST_URI"])
        ldapconf = self.write_conf("ldap.conf", "# comment\nBASE %s\n" % ENV["LDAPAB_TEST_BASE"])
        rc, out, err = self.run_cli("-f", "json", "search", "mary johnson",
                                    env={"LDAPCONF": ldapconf})
        self.assertEqual(rc, 0, err)
        self.assertEqual(strict_json(out)["count"], 1)

    def test_usage_errors(self):
        for args in (("frobnicate",), ("-f", "xml", "search", "a"), ("search",),
                     ("resolve",), ("containers", "--expand"), ("search", "--count", "x", "a"),
                     ("--bogus",), ()):
            with self.subTest(args=args):
                rc, out, err = self.run_cli(*args)
                self.assertEqual(rc, EX_USAGE, err)
                self.assertTrue(err.strip())


# ---------------------------------------------------------------------------
class TestDoctor(CliCase):
    def test_healthy_server(self):
        rc, out, err = self.run_cli("doctor")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("server %s" % ENV["LDAPAB_TEST_URI"], out)
        self.assertIn("naming context:  %s" % ENV["LDAPAB_TEST_BASE"], out)
        self.assertIn("paged results:   yes", out)
        self.assertIn("VLV:             yes", out)
        self.assertRegex(out, r"sample lookup .* in [0-9.]+ ms")
        self.assertIn("all checks passed", out)

    def test_dead_server(self):
        port = closed_port()
        self.conf = self.write_conf("dead.conf", "[directory]\nuri = ldap://127.0.0.1:%d\n"
                                    "[limits]\nconnect_timeout = 2\nop_timeout = 2\n" % port)
        rc, out, err = self.run_cli("doctor")
        self.assertEqual(rc, EX_UNAVAILABLE, out + err)
        self.assertIn("connect:         FAILED", out)
        self.assertIn("nothing answers on 127.0.0.1 port %d" % port, out)

    def test_tls_server_with_unknown_ca(self):
        self.conf = self.write_conf("ca.conf", "[directory]\nuri = %s\nbase = %s\n"
                                    "[tls]\nca_file = %s\n" % (
                                        ENV["LDAPAB_TEST_LDAPS_URI"], ENV["LDAPAB_TEST_BASE"],
                                        ENV["LDAPAB_TEST_OTHER_CA"]))
        rc, out, err = self.run_cli("doctor")
        self.assertEqual(rc, EX_UNAVAILABLE, out + err)
        self.assertRegex(out, r"chain: +FAILED: not trusted by %s" % re.escape(
            ENV["LDAPAB_TEST_OTHER_CA"]))
        self.assertIn("issuer is unknown", out)
        self.assertRegex(out, r"(?m)^  TLS +FAILED")
        self.assertIn("subject:         CN=localhost", out)

    def test_tls_server_with_the_right_ca(self):
        self.conf = self.write_conf("ca.conf", "[directory]\nuri = %s\nbase = %s\n"
                                    "[tls]\nca_file = %s\n" % (
                                        ENV["LDAPAB_TEST_LDAPS_URI"], ENV["LDAPAB_TEST_BASE"],
                                        ENV["LDAPAB_TEST_CA"]))
        rc, out, err = self.run_cli("doctor")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("chain:           trusted by %s" % ENV["LDAPAB_TEST_CA"], out)
        self.assertIn("host name:       the certificate names 127.0.0.1", out)
        self.assertRegex(out, r"validity: +[0-9-]+ to [0-9-]+ \([0-9]+ days left\)")

    def test_passwords_masked(self):
        secret = ENV["LDAPAB_TEST_BIND_PW"]
        self.conf = self.write_conf("pw.conf", self.base_conf() +
                                    "[bind]\ndn = %s\npassword = %s\n[tls]\nmode = starttls\n"
                                    "ca_file = %s\n" % (ENV["LDAPAB_TEST_BIND_DN"], secret,
                                                        ENV["LDAPAB_TEST_CA"]))
        rc, out, err = self.run_cli("doctor")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("********", out)
        self.assertNotIn(secret, out + err)
        self.assertIn("simple bind", out)


# ---------------------------------------------------------------------------
class TestHelp(CliCase):
    SUBS = ("resolve", "search", "browse", "show", "members", "containers", "export", "doctor")

    def test_help_and_version(self):
        rc, out, err = self.run_cli("--help", conf=False)
        self.assertEqual(rc, 0, err)
        for s in self.SUBS:
            self.assertIn(s, out)
        rc, out, err = self.run_cli("--version", conf=False)
        self.assertEqual(rc, 0, out + err)
        self.assertRegex(out, r"^ldapab [0-9]+\.[0-9]+")
        for s in self.SUBS:
            rc, out, err = self.run_cli(s, "--help", conf=False)
            self.assertEqual(rc, 0, s + ": " + err)
            self.assertTrue(out.startswith("usage: ldapab"), out)

    def test_man_pages_agree_with_help(self):
        man1 = open(os.path.join(SRC, "doc", "ldapab.1"), encoding="utf-8").read()
        man5 = open(os.path.join(SRC, "doc", "ldapab.conf.5"), encoding="utf-8").read()
        plain1 = re.sub(r"\\f[BIRP]|\\-|\\&", lambda m: "-" if m.group(0) == "\\-" else "", man1)
        rc, out, err = self.run_cli("--help", conf=False)
        for opt in re.findall(r"(--[a-z-]+)", out):
            self.assertIn(opt, plain1, opt)
        for s in self.SUBS:
            rc, sub, err = self.run_cli("help", s, conf=False)
            for opt in re.findall(r"(--[a-z-]+)", sub):
                self.assertIn(opt, plain1, (s, opt))
            self.assertIn(s, plain1)
        for code in ("64", "65", "66", "69", "70", "73", "75", "77", "78"):
            self.assertIn(code, plain1)
        sample = open(os.path.join(SRC, "conf", "ldapab.conf"), encoding="utf-8").read()
        plain5 = re.sub(r"\\f[BIRP]|\\&", "", man5).replace("\\-", "-")
        for key in ("uri", "base", "name", "browse", "schema", "person_filter", "group_filter",
                    "method", "dn", "password_file", "password", "allow_insecure", "mode",
                    "ca_file", "ca_dir", "reqcert", "cert_file", "key_file",
                    "connect_timeout", "op_timeout", "time_limit", "size_limit", "page_size",
                    "failover_backoff", "module"):
            self.assertRegex(plain5, r"\b%s\b" % key, key)
            self.assertRegex(sample, r"(?m)^#?%s = " % key, key)

# ---------------------------------------------------------------------------
class TestHostileData(CliCase):
    """Values a directory should not hold but may: escape sequences, bells,
    C1 controls, tabs and newlines.  They must not reach the terminal, forge
    mutt fields or lines, or break vCard/JSON (the entry is added with the
    rootdn and removed again)."""

    DN = "uid=evil.person,ou=People,%s"
    NAME = "Evil\x1b[31m\x1b]0;pwned\x07 Person\tTab"
    TITLE = "Line one\nLine two\r\u009b2J"

    def ldap_tool(self, tool, ldif):
        import base64
        e = dict(os.environ, LDAPCONF="/dev/null")
        p = subprocess.run([tool, "-x", "-H", ENV["LDAPAB_TEST_URI"], "-D",
                            ENV["LDAPAB_TEST_ADMIN_DN"], "-w", ENV["LDAPAB_TEST_ADMIN_PW"]]
                           + (["-c"] if tool == "ldapdelete" else []),
                           input=ldif.encode("utf-8"), capture_output=True, env=e, timeout=60)
        return p.returncode, p.stderr.decode()

    def setUp(self):
        super().setUp()
        import base64
        b64 = lambda v: base64.b64encode(v.encode("utf-8")).decode()
        self.dn = self.DN % ENV["LDAPAB_TEST_BASE"]
        self.ldap_tool("ldapdelete", self.dn + "\n")
        rc, err = self.ldap_tool("ldapadd", (
            "dn: %s\nobjectClass: inetOrgPerson\nuid: evil.person\ncn:: %s\nsn: Person\n"
            "givenName: Evil\ndisplayName:: %s\ntitle:: %s\nmail: evil.person@example.com\n"
            % (self.dn, b64(self.NAME), b64(self.NAME), b64(self.TITLE))))
        self.assertEqual(rc, 0, err)

    def tearDown(self):
        self.ldap_tool("ldapdelete", self.dn + "\n")
        super().tearDown()

    def test_table_shows_no_control_characters(self):
        for args in (("search", "evil"), ("show", "evil.person@example.com"),
                     ("resolve", "evil.person@example.com")):
            with self.subTest(args=args):
                rc, out, err = self.run_cli(*args)
                self.assertEqual(rc, 0, err)
                self.assertIsNone(re.search("[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f]", out),
                                  repr(out))
                self.assertIn("\ufffd", out)
                self.assertIn("Evil", out)

    def test_mutt_fields_and_lines_cannot_be_forged(self):
        rc, out, err = self.run_cli("-f", "mutt", "search", "evil")
        self.assertEqual(rc, 0, err)
        lines = out.split("\n")[1:-1]
        self.assertEqual(len(lines), 1, out)
        fields = lines[0].split("\t")
        self.assertEqual(len(fields), 3, lines[0])
        self.assertEqual(fields[0], "evil.person@example.com")
        self.assertIsNone(re.search("[\x00-\x08\x0a-\x1f\x7f]", lines[0]))

    def test_vcard_and_json_stay_well_formed(self):
        rc, out, err = self.run_cli("-f", "vcard", "search", "evil")
        self.assertEqual(rc, 0, err)
        self.assertIsNone(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out))
        self.check_vcards(out, 1)
        rc, out, err = self.run_cli("-f", "json", "search", "evil")
        self.assertEqual(rc, 0, err)
        e = strict_json(out)["entries"][0]
        self.assertEqual(e["name"], self.NAME)
        self.assertEqual(e["title"], self.TITLE)

# ---------------------------------------------------------------------------
class TestActiveDirectory(CliCase):
    """The same commands against the Samba AD DC (the AD schema, proxyAddresses,
    thumbnailPhoto, nested groups, a bind the directory requires)."""

    def base_conf(self, name="LDAPAB"):
        pw = os.path.join(self.dir, "ad-pw")
        with open(pw, "w") as f:
            f.write(ENV["LDAPAB_AD_READER_PW"] + "\n")
        os.chmod(pw, 0o600)
        return ("[directory]\nuri = %s\nbase = %s\nname = %s\n[bind]\ndn = %s\n"
                "password_file = %s\n[tls]\nca_file = %s\n" % (
                    ENV["LDAPAB_AD_LDAPS_URI"], ENV["LDAPAB_AD_BASE"], name,
                    ENV["LDAPAB_AD_READER_DN"], pw, ENV["LDAPAB_AD_CA"]))

    def population(self, cn):
        """Attributes of CN=<cn> in the LDIF the fixture loaded."""
        import base64
        with open(os.path.join(ENV["LDAPAB_AD_RUNDIR"], "population.ldif"),
                  encoding="utf-8") as f:
            text = f.read().replace("\n ", "")
        for block in text.split("\n\n"):
            lines = block.strip("\n").split("\n")
            dn = lines[0]
            if dn.startswith("dn:: "):
                dn = "dn: " + base64.b64decode(dn[5:]).decode("utf-8")
            if not dn.startswith("dn: CN=%s," % cn):
                continue
            attrs = {}
            for l in lines[1:]:
                k, sep, v = l.partition(":: ")
                if sep:
                    v = base64.b64decode(v)
                else:
                    k, _, v = l.partition(": ")
                attrs.setdefault(k, []).append(v)
            return attrs
        raise KeyError(cn)

    def test_doctor_sees_active_directory(self):
        rc, out, err = self.run_cli("doctor")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("schema:          Active Directory", out)
        self.assertNotIn(ENV["LDAPAB_AD_READER_PW"], out + err)

    def test_resolve_unique_and_ambiguous(self):
        rc, out, err = self.run_cli("-f", "json", "resolve", "Jürgen Müller; smith")
        self.assertEqual(rc, EXIT_AMBIGUOUS, err)
        res = strict_json(out)["results"]
        self.assertEqual(res[0]["status"], "resolved")
        self.assertEqual(res[0]["entry"]["name"], "Jürgen Müller")
        self.assertEqual(res[1]["status"], "ambiguous")
        self.assertTrue({"Chris Smith", "Christine Smith"} <=
                        {c["name"] for c in res[1]["candidates"]})

    def test_mutt_every_proxy_address(self):
        rc, out, err = self.run_cli("-f", "mutt", "search", "Łucja")
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        lines = out.split("\n")[1:-1]
        want = [a.decode() if isinstance(a, bytes) else a
                for a in self.population("Łucja Żółkiewska")["proxyAddresses"]]
        self.assertEqual(sorted(l.split("\t")[0] for l in lines),
                         sorted(a.split(":", 1)[1] for a in want))
        self.assertTrue(all(l.split("\t")[1] == "Łucja Żółkiewska" for l in lines))

    def test_show_photo_from_thumbnailphoto(self):
        photo = os.path.join(self.dir, "ada.jpg")
        rc, out, err = self.run_cli("show", "--photo", photo, "Ada Lindqvist")
        self.assertEqual(rc, 0, err)
        with open(photo, "rb") as f:
            self.assertEqual(f.read(), self.population("Ada Lindqvist")["thumbnailPhoto"][0])

    def test_members_nested_and_expanded(self):
        rc, out, err = self.run_cli("-f", "json", "members", "Engineering")
        self.assertEqual(rc, 0, err)
        entries = strict_json(out)["entries"]
        self.assertEqual(len(entries), 9)
        self.assertEqual([e["name"] for e in entries if e["type"] == "group"], ["Platform Team"])
        rc, out, err = self.run_cli("-f", "json", "members", "--expand", "Engineering")
        self.assertEqual(rc, 0, err)
        people = strict_json(out)["entries"]
        self.assertEqual(len(people), 12)
        self.assertTrue(all(e["type"] == "person" for e in people))

    def test_vcard_and_csv_of_a_search(self):
        rc, out, err = self.run_cli("-f", "vcard", "search", "zoë")
        self.assertEqual(rc, 0, err)
        self.assertIn("FN:Zoë Ångström\r\n", out)
        self.assertIn("ORG:Ldapab Test AB;", out)
        rc, out, err = self.run_cli("-f", "csv", "search", "søren")
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        self.assertEqual([r["name"] for r in rows], ["Søren Kjær"])

    def test_containers_and_browse(self):
        rc, out, err = self.run_cli("-f", "json", "containers")
        self.assertEqual(rc, 0, err)
        self.assertEqual([c["name"] for c in strict_json(out)["containers"]], ["LDAPAB"])
        rc, out, err = self.run_cli("-f", "json", "browse", "--from", "Bulk Person 0100", "-n", "2")
        self.assertEqual(rc, 0, err)
        self.assertEqual([e["name"] for e in strict_json(out)["entries"]],
                         ["Bulk Person 0100", "Bulk Person 0101"])


# ---------------------------------------------------------------------------
class TestWindows(CliCase):
    """ldapab.exe under Wine (LDAPAB_CLI_TARGET=windows): where Windows differs."""

    @classmethod
    def setUpClass(cls):
        if not ON_WINDOWS:
            raise unittest.SkipTest("ldapab.exe only (LDAPAB_CLI_TARGET=windows)")
        prefix = os.environ["WINEPREFIX"]
        user = os.environ.get("USER") or __import__("getpass").getuser()
        cls.appdata = os.path.join(prefix, "drive_c", "users", user, "AppData", "Roaming",
                                   "ldapab")
        cls.programdata = os.path.join(prefix, "drive_c", "ProgramData", "ldapab")

    def place(self, folder, name):
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "ldapab.conf")
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.base_conf(name))
        self.addCleanup(os.remove, path)

    def test_configuration_from_appdata_then_programdata(self):
        def name():
            rc, out, err = self.run_cli("-f", "json", "containers", conf=False,
                                        env={"LDAPAB_SYSTEM_CONFIG": None})
            self.assertEqual(rc, 0, err)
            return strict_json(out)["containers"][0]["name"]
        rc, out, err = self.run_cli("containers", conf=False, env={"LDAPAB_SYSTEM_CONFIG": None})
        self.assertEqual(rc, EX_CONFIG, err)
        self.assertIn("\\AppData\\Roaming\\ldapab\\ldapab.conf", err)
        self.place(self.programdata, "From ProgramData")
        self.assertEqual(name(), "From ProgramData")
        self.place(self.appdata, "From AppData")
        self.assertEqual(name(), "From AppData")

    def test_doctor_leaves_the_certificate_to_windows(self):
        self.conf = self.write_conf("ca.conf", "[directory]\nuri = %s\nbase = %s\n"
                                    "[tls]\nca_file = %s\n" % (
                                        ENV["LDAPAB_TEST_LDAPS_URI"], ENV["LDAPAB_TEST_BASE"],
                                        ENV["LDAPAB_TEST_CA"]))
        rc, out, err = self.run_cli("doctor")
        self.assertIn("certificate:     checked by Windows against its certificate store", out)
        self.assertIn("tls.ca_file and tls.ca_dir do not apply on Windows", out)
        self.assertIn("certutil -addstore Root", out)

    def test_bytes_written_as_they_are(self):
        # Standard output and -o files are binary: vCard and CSV carry their
        # own CRLF, which text mode would turn into CR CR LF.
        rc, out, err = self.run_cli("-f", "vcard", "show", "Søren Ødegård")
        self.assertEqual(rc, 0, err)
        self.assertNotIn("\r\r", out)
        self.assertTrue(out.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n"), out[:40])
        path = os.path.join(self.dir, "all.csv")
        rc, out, err = self.run_cli("-f", "csv", "-o", path, "export")
        self.assertEqual(rc, 0, err)
        with open(path, "rb") as f:
            data = f.read()
        self.assertNotIn(b"\r\r", data)
        self.assertEqual(data.count(b"\r\n"), 1 + 334 + 27)

    def test_names_outside_the_ansi_code_page(self):
        # Wine's ANSI code page here is 1252: 王芳 reaches ldapab.exe only
        # through the UTF-16 command line.
        rc, out, err = self.run_cli("-f", "json", "resolve", "王芳", "--", )
        self.assertEqual(rc, 0, err)
        entry = strict_json(out)["results"][0]["entry"]
        self.assertEqual(entry["name"], "王芳")
        self.assertEqual(entry["email"], "fang.wang@example.com")


# What ldapab.exe (LDAPAB_CLI_TARGET=windows) is not asked, and why; the run
# names them on its first lines.  TestWindows checks what Windows does instead.
ON_WINDOWS = os.environ.get("LDAPAB_CLI_TARGET") == "windows"
NOT_ON_WINDOWS = {
    "TestConfiguration.test_world_readable_password_file_refused":
        "permission bits; on Windows the file's ACL decides (ldapab.conf(5))",
    "TestConfiguration.test_inline_password_in_readable_file_refused":
        "permission bits; on Windows the file's ACL decides (ldapab.conf(5))",
    "TestConfiguration.test_precedence_c_env_xdg_etc_ldapconf":
        "XDG, /etc and ldap.conf are POSIX places (TestWindows has %APPDATA%, %ProgramData%)",
    "TestDoctor.test_tls_server_with_the_right_ca":
        "the certificate report is GnuTLS's; on Windows the certificate store decides",
    "TestDoctor.test_tls_server_with_unknown_ca":
        "Wine's wldap32 does not verify server certificates (Windows' does)",
}


def windows_suite(names):
    """The named tests less NOT_ON_WINDOWS, each left-out one printed."""
    def flat(suite):
        for t in suite:
            if isinstance(t, unittest.TestSuite):
                yield from flat(t)
            else:
                yield t
    kept = unittest.TestSuite()
    for t in flat(unittest.defaultTestLoader.loadTestsFromNames(names, sys.modules[__name__])):
        key = "%s.%s" % (type(t).__name__, t._testMethodName)
        if key in NOT_ON_WINDOWS:
            print("not run for ldapab.exe: %s: %s" % (key, NOT_ON_WINDOWS[key]))
        else:
            kept.addTest(t)
    return kept


MODULE = None

if __name__ == "__main__":
    LDAPAB = os.path.abspath(sys.argv[1])
    SRC = os.path.abspath(sys.argv[2])
    MODULE = os.path.abspath(sys.argv[3])
    load_env(any(a.startswith("TestActiveDirectory") for a in sys.argv[4:]))
    if ON_WINDOWS:
        result = unittest.TextTestRunner(verbosity=2).run(windows_suite(sys.argv[4:]))
        sys.exit(0 if result.wasSuccessful() and result.testsRun else 1)
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
