#!/usr/bin/python3
"""Load an LDIF into a provisioned, stopped Samba AD DC's sam.ldb, as the
system (no LDAP, no network), and give the DC's account extra LDAP service
principal names so a Kerberos client that names the server by another host
name (how 127.0.0.1 resolves back on this machine) finds its key.

Usage:  load-population.py <smb.conf> <population.ldif> [spn-host ...]

Runs under Debian's /usr/bin/python3 (python3-samba).  Direct sam.ldb
access goes through the same ldb modules as LDAP adds (RIDs, password
hashes, linked attributes), only without the round trips.
"""

import sys

import samba
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
import ldb


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: load-population.py <smb.conf> <ldif> [spn-host ...]\n")
        return 2
    lp = LoadParm()
    lp.load(argv[1])
    samdb = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
    with open(argv[2], encoding="utf-8") as f:
        text = f.read()
    samdb.transaction_start()
    try:
        samdb.add_ldif(text)
        hosts = argv[3:]
        if hosts:
            dc = samdb.search(base=samdb.domain_dn(), scope=ldb.SCOPE_SUBTREE,
                              expression="(&(objectClass=computer)(sAMAccountName=%s$))"
                              % lp.get("netbios name"), attrs=["servicePrincipalName"])
            if len(dc) != 1:
                raise RuntimeError("the DC's computer account was not found")
            have = {str(v).lower() for v in dc[0].get("servicePrincipalName", [])}
            add = []
            for h in hosts:
                spn = "ldap/%s" % h
                if spn.lower() not in have:
                    have.add(spn.lower())
                    add.append(spn)
            if add:
                m = ldb.Message(dc[0].dn)
                m["servicePrincipalName"] = ldb.MessageElement(
                    add, ldb.FLAG_MOD_ADD, "servicePrincipalName")
                samdb.modify(m)
    except Exception:
        samdb.transaction_cancel()
        raise
    samdb.transaction_commit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
