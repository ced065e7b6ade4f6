/* A hostile directory: a slapd of the test's own (slapd_instance_start)
 * loaded with entries no sane directory holds - 1 MB values, attributes
 * with 10,000 values, empty and binary values where text is expected
 * (octet-string attributes mapped onto text properties: invalid UTF-8,
 * NULs, 0xFF), managers that point nowhere or in a cycle, groups that
 * contain each other or themselves or 10,000 members that do not exist -
 * and people whose names are LDAP filter syntax.  Through ABProviderInit
 * and the host's support object:
 *   - browsing, opening and reading every entry works, and every string is
 *     valid UTF-16 (Unicode) or valid UTF-8 (8-bit, MU-6) within the bag's
 *     caps; multi-valued properties within their cap;
 *   - group and manager cycles end, members that do not exist are left out,
 *     member tables stay within ABP_MEMBERS_MAX;
 *   - LDAP injection (`*`, `*)(uid=*`, `admin)(|(objectClass=*`, `\2a`,
 *     `a*b`, NUL bytes, over-long input) through ResolveNames, PR_ANR and
 *     content restrictions selects exactly the entries whose attributes hold
 *     that literal text (CT-9, CT-11, TB-10). */
#include "hostile_util.h"

#include <ctype.h>
#include <strings.h>

#include "table.h"

#ifndef LDAPAB_TEST_WORKDIR
#define LDAPAB_TEST_WORKDIR "."
#endif

#define HOSTILE_BASE "ou=Hostile,dc=example,dc=com"
#define BIG (1024u * 1024u)
#define MANY 10000u

static char rundir[1024];

/* The people and groups of the hostile OU, as the test wrote them: the
 * expected answers are computed from this list. */
struct who {
	const char *uid;        /* NULL: a group (cn = name) */
	const char *name;       /* displayName (and cn) */
	const char *sn;
};

static const char *const literals[] = { "*", "*)(uid=*", "admin)(|(objectClass=*", "\\2a",
                                        "a*b", "(", ")", "\\", "*\\2a*" };
#define N_LIT (sizeof(literals) / sizeof(literals[0]))

static const struct who people[] = {
	{ "inj0", "* Tail", "Literal" },
	{ "inj1", "*)(uid=* Tail", "Literal" },
	{ "inj2", "admin)(|(objectClass=* Tail", "Literal" },
	{ "inj3", "\\2a Tail", "Literal" },
	{ "inj4", "a*b Tail", "Literal" },
	{ "inj5", "( Tail", "Literal" },
	{ "inj6", ") Tail", "Literal" },
	{ "inj7", "\\ Tail", "Literal" },
	{ "inj8", "*\\2a* Tail", "Literal" },
	{ "decoy1", "Decoy Person", "Decoy" },
	{ "decoy2", "admin Decoy", "Decoy" },
	{ "decoy3", "aXb Decoy", "Decoy" },
	{ "decoy4", "2a Decoy", "Decoy" },
	{ "huge", "Huge Value", "Huge" },         /* displayName replaced by 1 MB below */
	{ "many", "Many Values", "Many" },
	{ "binary", "Binary Text", "Binary" },
	{ "ghostmgr", "Ghost Manager", "Ghost" },
	{ "cyclea", "Cycle Alpha", "Cycle" },
	{ "cycleb", "Cycle Beta", "Cycle" },
	{ "selfmgr", "Self Managed", "Self" },
	{ NULL, "Loop A", NULL },
	{ NULL, "Loop B", NULL },
	{ NULL, "Ghosts", NULL },
};
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))

static char *env_of(const char *key)
{
	char *v = slapd_env_file(rundir, key);

	if (v == NULL)
		fail_msg("%s/slapd.env has no %s", rundir, key);
	return v;
}

static void b64(FILE *f, const unsigned char *p, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);

		fputc(a[v >> 18 & 63], f);
		fputc(a[v >> 12 & 63], f);
		fputc(i + 1 < n ? a[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? a[v & 63] : '=', f);
	}
	fputc('\n', f);
}

static void write_ldif(const char *path)
{
	static const unsigned char bad[][8] = {
		{ 0xC3, 0x28, 'x', 0 }, { 0xFF, 0xFE, 0xFD, 'y', 0 }, { 0xED, 0xA0, 0x80, 0 },
		{ 'a', 0x00, 'b', 0 }, { 0xF4, 0x90, 0x80, 0x80, 0 }, { 0xC0, 0xAF, 0 },
	};
	static const size_t bad_len[] = { 3, 4, 3, 3, 4, 2 };
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "dn: %s\nobjectClass: organizationalUnit\nou: Hostile\n\n", HOSTILE_BASE);
	for (size_t i = 0; i < N_PEOPLE; i++) {
		const struct who *w = &people[i];

		if (w->uid == NULL)
			continue;
		fprintf(f, "dn: uid=%s,%s\nobjectClass: inetOrgPerson\nuid: %s\nsn: %s\n",
		        w->uid, HOSTILE_BASE, w->uid, w->sn);
		if (strcmp(w->uid, "huge") == 0) {
			/* 1 MB of two-byte characters: the cut must fall between them. */
			fputs("cn: Huge Value\ndisplayName: Huge ", f);
			for (unsigned k = 0; k < BIG / 2; k++)
				fputs("\xC3\xA9", f);
			fputs("\ndescription: ", f);
			for (unsigned k = 0; k < BIG; k++)
				fputc('d', f);
			fputs("\nmail: huge@hostile.test\n\n", f);
			continue;
		}
		fprintf(f, "cn: %s\ndisplayName: %s\n", w->name, w->name);
		if (strcmp(w->uid, "many") == 0) {
			for (unsigned k = 0; k < MANY; k++)
				fprintf(f, "mail: m%05u@hostile.test\n", k);
			for (unsigned k = 0; k < MANY; k++)
				fprintf(f, "telephoneNumber: +1 555 %05u\n", k);
		} else if (strcmp(w->uid, "binary") == 0) {
			/* audio is an octet string: any bytes, the profile maps it onto
			 * PR_TITLE and PR_NICKNAME (text). */
			for (size_t k = 0; k < sizeof(bad_len) / sizeof(bad_len[0]); k++) {
				fputs("audio:: ", f);
				b64(f, bad[k], bad_len[k]);
			}
			fputs("audio:\nmail: binary@hostile.test\n", f);   /* and an empty value */
		} else if (strcmp(w->uid, "ghostmgr") == 0) {
			fputs("manager: uid=ghost,ou=Nowhere,dc=example,dc=com\n", f);
		} else if (strcmp(w->uid, "cyclea") == 0) {
			fprintf(f, "manager: uid=cycleb,%s\n", HOSTILE_BASE);
		} else if (strcmp(w->uid, "cycleb") == 0) {
			fprintf(f, "manager: uid=cyclea,%s\n", HOSTILE_BASE);
		} else if (strcmp(w->uid, "selfmgr") == 0) {
			fprintf(f, "manager: uid=selfmgr,%s\n", HOSTILE_BASE);
		}
		fputc('\n', f);
	}
	fprintf(f, "dn: cn=Loop A,%s\nobjectClass: groupOfNames\ncn: Loop A\n"
	        "member: cn=Loop B,%s\nmember: cn=Loop A,%s\nmember: uid=cyclea,%s\n\n",
	        HOSTILE_BASE, HOSTILE_BASE, HOSTILE_BASE, HOSTILE_BASE);
	fprintf(f, "dn: cn=Loop B,%s\nobjectClass: groupOfNames\ncn: Loop B\n"
	        "member: cn=Loop A,%s\n\n", HOSTILE_BASE, HOSTILE_BASE);
	fprintf(f, "dn: cn=Ghosts,%s\nobjectClass: groupOfNames\ncn: Ghosts\n"
	        "member: uid=many,%s\n", HOSTILE_BASE, HOSTILE_BASE);
	for (unsigned k = 0; k < MANY; k++)
		fprintf(f, "member: uid=ghost%05u,ou=Nowhere,dc=example,dc=com\n", k);
	fputc('\n', f);
	fclose(f);
}

static int setup(void **state)
{
	char ldif[1100], cmd[4096];
	char *uri, *dn, *pw;
	int rc;

	(void)state;
	snprintf(rundir, sizeof(rundir), "%s/hostile-slapd", LDAPAB_TEST_WORKDIR);
	if (slapd_instance_start(rundir, "--bulk 0 --no-tls") != 0)
		fail_msg("could not start the hostile slapd in %s", rundir);
	snprintf(ldif, sizeof(ldif), "%s/hostile.ldif", rundir);
	write_ldif(ldif);
	uri = env_of("LDAPAB_TEST_LDAPI_URI");
	dn = env_of("LDAPAB_TEST_ADMIN_DN");
	pw = env_of("LDAPAB_TEST_ADMIN_PW");
	snprintf(cmd, sizeof(cmd),
	         "LDAPCONF=/dev/null LDAPRC=.none ldapadd -x -H '%s' -D '%s' -w '%s' -f '%s' "
	         ">'%s/ldapadd.log' 2>&1", uri, dn, pw, ldif, rundir);
	rc = system(cmd);
	free(uri);
	free(dn);
	free(pw);
	if (rc != 0)
		fail_msg("ldapadd of the hostile entries failed (see %s/ldapadd.log)", rundir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(slapd_instance_stop(rundir), 0);
	return 0;
}

/* Logon to the hostile OU; audio (octet string) mapped onto text. */
static void logon(struct plg *g)
{
	static const char *const map[] = { "PR_TITLE=audio", "PR_NICKNAME=audio" };
	SPropValue extra[2];
	char *uri = env_of("LDAPAB_TEST_LDAPI_URI"), *dn = env_of("LDAPAB_TEST_BIND_DN"),
	     *pw = env_of("LDAPAB_TEST_BIND_PW");

	memset(extra, 0, sizeof(extra));
	extra[0].ulPropTag = PR_LDAPAB_ATTR_MAP_A;
	extra[0].Value.MVszA.cValues = 2;
	extra[0].Value.MVszA.lppszA = (LPSTR *)map;
	extra[1].ulPropTag = PR_LDAPAB_SIZE_LIMIT;
	extra[1].Value.l = 1000;
	plg_logon(g, uri, HOSTILE_BASE, dn, pw, 2, extra);
	free(uri);
	free(dn);
	free(pw);
}

/* All rows of a table (8-bit or Unicode per flags), checked; *partial
 * (may be NULL) says whether the view signalled a limit (TB-5). */
static ULONG read_all(LPMAPITABLE t, bool *partial)
{
	ULONG total = 0;

	if (partial != NULL)
		*partial = false;
	for (;;) {
		LPSRowSet rs = NULL;
		HRESULT hr = t->lpVtbl->QueryRows(t, 100, 0, &rs);

		assert_true(hr == S_OK || hr == MAPI_W_PARTIAL_COMPLETION);
		if (hr == MAPI_W_PARTIAL_COMPLETION && partial != NULL)
			*partial = true;
		if (rs->cRows == 0) {
			plg_free_rows(rs);
			break;
		}
		for (ULONG i = 0; i < rs->cRows; i++)
			h_check_values(rs->aRow[i].cValues, rs->aRow[i].lpProps);
		total += rs->cRows;
		plg_free_rows(rs);
	}
	return total;
}

static void test_MU6_browse_and_read_every_hostile_entry_strings_stay_valid(void **state)
{
	struct plg g;
	IABContainer *c;

	(void)state;
	logon(&g);
	c = plg_open_directory(&g);
	for (int uni = 0; uni < 2; uni++) {
		LPMAPITABLE t = plg_contents(c, uni ? MAPI_UNICODE : 0);
		ULONG n = 0, opened = 0;

		assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &n), S_OK);
		assert_int_equal(n, N_PEOPLE);
		assert_int_equal(read_all(t, NULL), N_PEOPLE);
		/* Open each row's object, read every property both ways. */
		assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
		for (;;) {
			LPSRowSet rs = NULL;

			assert_int_equal(t->lpVtbl->QueryRows(t, 1, 0, &rs), S_OK);
			if (rs->cRows == 0) {
				plg_free_rows(rs);
				break;
			}
			{
				const SPropValue *id = plg_col(&rs->aRow[0], PR_ENTRYID);
				LPMAPIPROP o = NULL;
				LPSPropValue v = NULL;
				LPSPropTagArray pl = NULL;
				ULONG type = 0, nv = 0;

				assert_non_null(id);
				assert_int_equal(IABLogon_OpenEntry(g.l, id->Value.bin.cb,
				                                    (LPENTRYID)id->Value.bin.lpb, NULL,
				                                    0, &type, (LPUNKNOWN *)&o), S_OK);
				assert_int_equal(o->lpVtbl->GetProps(o, NULL, uni ? MAPI_UNICODE : 0,
				                                     &nv, &v), S_OK);
				h_check_values(nv, v);
				host_MAPIFreeBuffer(v);
				assert_int_equal(o->lpVtbl->GetPropList(o, 0, &pl), S_OK);
				host_MAPIFreeBuffer(pl);
				o->lpVtbl->Release(o);
				opened++;
			}
			plg_free_rows(rs);
		}
		assert_int_equal(opened, N_PEOPLE);
		t->lpVtbl->Release(t);
	}
	c->lpVtbl->Release(c);
	plg_done(&g);
}

static LPMAPIPROP open_named(struct plg *g, IABContainer *c, const char *name)
{
	ULONG cb = 0, type = 0;
	BYTE *eid = h_find_eid(c, name, &cb, NULL);
	LPMAPIPROP o = NULL;

	assert_int_equal(IABLogon_OpenEntry(g->l, cb, (LPENTRYID)eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&o), S_OK);
	free(eid);
	return o;
}

static const SPropValue *find_tag(ULONG n, const SPropValue *v, ULONG tag)
{
	for (ULONG i = 0; i < n; i++)
		if (v[i].ulPropTag == tag)
			return &v[i];
	return NULL;
}

/* The values that are too big, too many or not text: cut, capped, repaired. */
static void test_MU6_limits_hold_on_huge_many_and_binary_values(void **state)
{
	struct plg g;
	IABContainer *c;
	LPMAPIPROP o;
	LPSPropValue v = NULL;
	ULONG n = 0;
	const SPropValue *p;

	(void)state;
	logon(&g);
	c = plg_open_directory(&g);

	/* 1 MB display name of U+00E9: cut within ABP_PROP_STR_MAX bytes, at a
	 * character boundary, so all of it is "Huge " then U+00E9s. */
	{
		LPMAPITABLE t = plg_contents(c, MAPI_UNICODE);
		LPSRowSet rs = NULL;
		SPropValue pv;
		SRestriction r;

		memset(&r, 0, sizeof(r));
		pv.ulPropTag = PR_ACCOUNT_A;
		pv.Value.lpszA = (LPSTR)"huge";
		r.rt = RES_PROPERTY;
		r.res.resProperty.relop = RELOP_EQ;
		r.res.resProperty.ulPropTag = PR_ACCOUNT_A;
		r.res.resProperty.lpProp = &pv;
		assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
		assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
		assert_int_equal(rs->cRows, 1);
		{
			const SPropValue *id = plg_col(&rs->aRow[0], PR_ENTRYID);
			ULONG type = 0;

			assert_int_equal(IABLogon_OpenEntry(g.l, id->Value.bin.cb,
			                                    (LPENTRYID)id->Value.bin.lpb, NULL, 0,
			                                    &type, (LPUNKNOWN *)&o), S_OK);
		}
		plg_free_rows(rs);
		t->lpVtbl->Release(t);
	}
	assert_int_equal(o->lpVtbl->GetProps(o, NULL, MAPI_UNICODE, &n, &v), S_OK);
	p = find_tag(n, v, PR_DISPLAY_NAME_W);
	assert_non_null(p);
	{
		size_t k = 0;

		while (p->Value.lpszW[k])
			k++;
		assert_true(k > 1000);
		assert_true(5 + (k - 5) * 2 <= ABP_PROP_STR_MAX);
		for (size_t i = 5; i < k; i++)
			assert_int_equal(p->Value.lpszW[i], 0x00E9);
	}
	p = find_tag(n, v, PR_COMMENT_W);
	if (p != NULL) {
		size_t k = 0;

		while (p->Value.lpszW[k])
			k++;
		assert_true(k <= ABP_PROP_STR_MAX);
	}
	host_MAPIFreeBuffer(v);
	o->lpVtbl->Release(o);

	/* 10,000 mail values: one address, proxies within ABP_PROP_MV_MAX. */
	o = open_named(&g, c, "Many Values");
	assert_int_equal(o->lpVtbl->GetProps(o, NULL, MAPI_UNICODE, &n, &v), S_OK);
	h_check_values(n, v);
	p = find_tag(n, v, PR_EMAIL_ADDRESS_W);
	assert_non_null(p);
	for (ULONG i = 0; i < n; i++)
		if (PROP_TYPE(v[i].ulPropTag) & MV_FLAG)
			assert_true(v[i].Value.MVszW.cValues <= ABP_PROP_MV_MAX);
	host_MAPIFreeBuffer(v);
	o->lpVtbl->Release(o);

	/* Octet strings mapped onto text: valid UTF-16 with U+FFFD for the
	 * broken bytes, and valid UTF-8 in the 8-bit form. */
	o = open_named(&g, c, "Binary Text");
	for (int uni = 0; uni < 2; uni++) {
		assert_int_equal(o->lpVtbl->GetProps(o, NULL, uni ? MAPI_UNICODE : 0, &n, &v), S_OK);
		h_check_values(n, v);
		p = find_tag(n, v, uni ? PR_TITLE_W : PR_TITLE_A);
		assert_non_null(p);
		if (uni) {
			bool repl = false;

			for (size_t k = 0; p->Value.lpszW[k]; k++)
				if (p->Value.lpszW[k] == 0xFFFD)
					repl = true;
			assert_true(repl);
		} else {
			assert_non_null(strstr(p->Value.lpszA, "\xEF\xBF\xBD"));
		}
		host_MAPIFreeBuffer(v);
	}
	o->lpVtbl->Release(o);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* Managers nowhere and in cycles; groups in cycles and of ghosts (MU-3). */
static void test_MU3_cycles_and_dangling_references_end(void **state)
{
	static const char *const names[] = { "Ghost Manager", "Cycle Alpha", "Cycle Beta",
	                                     "Self Managed" };
	struct plg g;
	IABContainer *c;

	(void)state;
	logon(&g);
	c = plg_open_directory(&g);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		LPMAPIPROP o = open_named(&g, c, names[i]);
		LPSPropValue v = NULL;
		ULONG n = 0;
		const SPropValue *p;

		assert_int_equal(o->lpVtbl->GetProps(o, NULL, 0, &n, &v), S_OK);
		h_check_values(n, v);
		p = find_tag(n, v, PR_MANAGER_NAME_A);
		assert_non_null(p);             /* the RDN's value, dangling or not */
		if (i == 0)
			assert_string_equal(p->Value.lpszA, "ghost");
		host_MAPIFreeBuffer(v);
		o->lpVtbl->Release(o);
	}
	{
		static const struct { const char *name; ULONG rows; bool partial; } groups[] = {
			/* Loop A: Loop B and Cycle Alpha; itself left out.  Loop B: Loop A.
			 * Ghosts: Many Values, then 10,000 that do not exist - past
			 * the member cap, so the view says it was cut. */
			{ "Loop A", 2, false }, { "Loop B", 1, false }, { "Ghosts", 1, true },
		};

		for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
			LPMAPIPROP o = open_named(&g, c, groups[i].name);
			IDistList *dl = (IDistList *)o;
			LPMAPITABLE m = NULL;
			HRESULT hr;
			ULONG rows;
			bool partial;

			hr = dl->lpVtbl->GetContentsTable(dl, MAPI_UNICODE, &m);
			assert_int_equal(hr, S_OK);
			rows = read_all(m, &partial);
			assert_int_equal(partial, groups[i].partial);
			if (rows != groups[i].rows)
				fail_msg("%s: %u member rows, want %u", groups[i].name, (unsigned)rows,
				         (unsigned)groups[i].rows);
			assert_true(rows <= ABP_MEMBERS_MAX);
			m->lpVtbl->Release(m);
			o->lpVtbl->Release(o);
		}
	}
	c->lpVtbl->Release(c);
	plg_done(&g);
}

/* ---- LDAP injection ---- */

static bool ci_prefix(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

static bool ci_contains(const char *s, const char *p)
{
	size_t n = strlen(p);

	for (; *s; s++)
		if (strncasecmp(s, p, n) == 0)
			return true;
	return n == 0;
}

/* What PR_ANR matches (CT-9, as the emulation over inetOrgPerson does it):
 * a word of the display name, or the surname or account, starting with the
 * literal text. */
static bool anr_expect(const struct who *w, const char *lit)
{
	const char *s = w->name;

	if (w->uid != NULL && (ci_prefix(w->uid, lit) || ci_prefix(w->sn, lit)))
		return true;
	for (;;) {
		if (ci_prefix(s, lit))
			return true;
		s = strchr(s, ' ');
		if (s == NULL)
			return false;
		s++;
	}
}

static const char *display_of(const struct who *w)
{
	return strcmp(w->name, "Huge Value") == 0 ? "Huge " : w->name;
}

/* The display names of a restricted view, checked against the entries
 * expected (by name). */
static void expect_rows(LPMAPITABLE t, SRestriction *r, bool (*pred)(const struct who *,
                                                                          const char *),
                        const char *lit, const char *what)
{
	bool want[N_PEOPLE], got[N_PEOPLE];
	ULONG n_want = 0;
	LPSRowSet rs = NULL;

	memset(got, 0, sizeof(got));
	for (size_t i = 0; i < N_PEOPLE; i++) {
		want[i] = pred(&people[i], lit);
		n_want += want[i];
	}
	assert_int_equal(t->lpVtbl->Restrict(t, r, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 100, 0, &rs), S_OK);
	for (ULONG k = 0; k < rs->cRows; k++) {
		const SPropValue *dn = plg_col(&rs->aRow[k], PR_DISPLAY_NAME_A);
		size_t i;

		assert_non_null(dn);
		for (i = 0; i < N_PEOPLE; i++)
			if (strncmp(dn->Value.lpszA, display_of(&people[i]),
			            strlen(display_of(&people[i]))) == 0 && !got[i])
				break;
		if (i == N_PEOPLE || !want[i])
			fail_msg("%s \"%s\" selected \"%.40s\", which does not hold the text", what,
			         lit, dn->Value.lpszA);
		got[i] = true;
	}
	if (rs->cRows != n_want)
		fail_msg("%s \"%s\": %u rows, want %u", what, lit, (unsigned)rs->cRows,
		         (unsigned)n_want);
	plg_free_rows(rs);
}

static bool content_expect(const struct who *w, const char *lit)
{
	return ci_contains(w->name, lit);
}

static void test_CT9_TB10_injection_in_restrictions_selects_exactly_the_literal(void **state)
{
	struct plg g;
	IABContainer *c;
	LPMAPITABLE t;

	(void)state;
	logon(&g);
	c = plg_open_directory(&g);
	t = plg_contents(c, 0);
	for (size_t i = 0; i < N_LIT; i++) {
		SPropValue pv;
		SRestriction r;

		memset(&r, 0, sizeof(r));
		pv.ulPropTag = PR_DISPLAY_NAME_A;
		pv.Value.lpszA = (LPSTR)literals[i];
		r.rt = RES_CONTENT;
		r.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
		r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
		r.res.resContent.lpProp = &pv;
		expect_rows(t, &r, content_expect, literals[i], "FL_SUBSTRING");

		pv.ulPropTag = PR_ANR_A;
		r.rt = RES_PROPERTY;
		r.res.resProperty.relop = RELOP_EQ;
		r.res.resProperty.ulPropTag = PR_ANR_A;
		r.res.resProperty.lpProp = &pv;
		expect_rows(t, &r, anr_expect, literals[i], "PR_ANR");
	}
	/* A NUL ends a MAPI string: "*)" NUL "(uid=*" is "*)". */
	{
		static const char with_nul[] = "*)\0(uid=*";
		SPropValue pv;
		SRestriction r;

		memset(&r, 0, sizeof(r));
		pv.ulPropTag = PR_DISPLAY_NAME_A;
		pv.Value.lpszA = (LPSTR)with_nul;
		r.rt = RES_CONTENT;
		r.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
		r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
		r.res.resContent.lpProp = &pv;
		expect_rows(t, &r, content_expect, "*)", "FL_SUBSTRING with a NUL");
	}
	/* Over-long input: refused with a reason, the view unchanged. */
	{
		size_t len = 100000;
		char *lng = malloc(len + 1);
		SPropValue pv;
		SRestriction r;
		ULONG before = 0, after = 0;
		HRESULT hr;

		assert_non_null(lng);
		for (size_t k = 0; k < len; k++)
			lng[k] = "*)(|"[k % 4];
		lng[len] = '\0';
		assert_int_equal(t->lpVtbl->Restrict(t, NULL, 0), S_OK);
		assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &before), S_OK);
		memset(&r, 0, sizeof(r));
		pv.ulPropTag = PR_ANR_A;
		pv.Value.lpszA = lng;
		r.rt = RES_PROPERTY;
		r.res.resProperty.relop = RELOP_EQ;
		r.res.resProperty.ulPropTag = PR_ANR_A;
		r.res.resProperty.lpProp = &pv;
		assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), MAPI_E_TOO_COMPLEX);
		pv.ulPropTag = PR_DISPLAY_NAME_A;
		r.rt = RES_CONTENT;
		r.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
		r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
		r.res.resContent.lpProp = &pv;
		hr = t->lpVtbl->Restrict(t, &r, 0);
		assert_true(hr == MAPI_E_TOO_COMPLEX || hr == MAPI_E_INVALID_PARAMETER);
		assert_int_equal(t->lpVtbl->GetRowCount(t, 0, &after), S_OK);
		assert_int_equal(after, before);
		free(lng);
	}
	t->lpVtbl->Release(t);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

static void test_CT11_injection_in_resolvenames_resolves_only_the_literal(void **state)
{
	const char *names[N_LIT + 2];
	char *lng;
	struct plg g;
	IABContainer *c;
	ADRLIST *al;
	SizedFlagList(N_LIT + 2, fl);
	SPropValue *orig_long;

	(void)state;
	lng = malloc(70001);
	assert_non_null(lng);
	memset(lng, '*', 70000);
	lng[70000] = '\0';
	for (size_t i = 0; i < N_LIT; i++)
		names[i] = literals[i];
	names[N_LIT] = "";              /* what a name starting with NUL is */
	names[N_LIT + 1] = lng;
	logon(&g);
	c = plg_open_directory(&g);
	al = h_adrlist(N_LIT + 2, names);
	orig_long = h_ent(al, N_LIT + 1)->rgPropVals;
	fl.cFlags = N_LIT + 2;
	for (size_t i = 0; i < N_LIT + 2; i++)
		fl.ulFlag[i] = MAPI_UNRESOLVED;
	assert_int_equal(c->lpVtbl->ResolveNames(c, NULL, 0, al, (LPFlagList)&fl), S_OK);
	for (size_t i = 0; i < N_LIT; i++) {
		ULONG n_want = 0;
		const struct who *one = NULL;

		for (size_t k = 0; k < N_PEOPLE; k++)
			if (anr_expect(&people[k], literals[i])) {
				n_want++;
				one = &people[k];
			}
		if (n_want == 0) {
			assert_int_equal(fl.ulFlag[i], MAPI_UNRESOLVED);
		} else if (n_want == 1) {
			const SPropValue *dn = NULL;

			if (fl.ulFlag[i] != MAPI_RESOLVED)
				fail_msg("\"%s\": flag %u, want resolved to \"%s\"", literals[i],
				         (unsigned)fl.ulFlag[i], one->name);
			for (ULONG k = 0; k < h_ent(al, i)->cValues; k++)
				if (h_ent(al, i)->rgPropVals[k].ulPropTag == PR_DISPLAY_NAME_A)
					dn = &h_ent(al, i)->rgPropVals[k];
			assert_non_null(dn);
			assert_string_equal(dn->Value.lpszA, one->name);
			h_check_values(h_ent(al, i)->cValues, h_ent(al, i)->rgPropVals);
		} else if (fl.ulFlag[i] != MAPI_AMBIGUOUS) {
			fail_msg("\"%s\": flag %u, want ambiguous (%u matches)", literals[i],
			         (unsigned)fl.ulFlag[i], (unsigned)n_want);
		}
	}
	assert_int_equal(fl.ulFlag[N_LIT], MAPI_UNRESOLVED);         /* blank: nothing */
	assert_int_equal(fl.ulFlag[N_LIT + 1], MAPI_UNRESOLVED);     /* over-long: nothing */
	assert_ptr_equal(h_ent(al, N_LIT + 1)->rgPropVals, orig_long);
	host_FreePadrlist(al);
	free(lng);
	c->lpVtbl->Release(c);
	plg_done(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_MU6_browse_and_read_every_hostile_entry_strings_stay_valid),
		cmocka_unit_test(test_MU6_limits_hold_on_huge_many_and_binary_values),
		cmocka_unit_test(test_MU3_cycles_and_dangling_references_end),
		cmocka_unit_test(test_CT9_TB10_injection_in_restrictions_selects_exactly_the_literal),
		cmocka_unit_test(test_CT11_injection_in_resolvenames_resolves_only_the_literal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
