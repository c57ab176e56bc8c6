"""`ipvsadm -Lnc`, counted as the agent counts /proc/net/ip_vs_conn: per
service, entries by the agent's column for their state."""

# ipvsadm's states, and the agent's columns that count them (any other
# state counts in OtherStates).
CONN_STATES = {"ESTABLISHED": "Established", "SYN_SENT": "SynSent", "SYN_RECV": "SynRecv", "FIN_WAIT": "FinWait",
               "TIME_WAIT": "TimeWait", "CLOSE": "Close", "CLOSE_WAIT": "CloseWait", "LAST_ACK": "LastAck",
               "ASSURED": "Templates"}


def ipvsadm_connections(text, key_of):
    """{key_of(protocol word, virtual host as printed, port): {column: entries}},
    with Entries their sum. Lines after ipvsadm's two header lines:
    "TCP 01:35  TIME_WAIT   CLIENT VIRTUAL DESTINATION"."""
    counts = {}
    for words in (line.split() for line in text.splitlines()[2:]):
        host, port = words[4].rsplit(":", 1)
        columns = counts.setdefault(key_of(words[0], host, int(port)), {"Entries": 0})
        column = CONN_STATES.get(words[2], "OtherStates")
        columns[column] = columns.get(column, 0) + 1
        columns["Entries"] += 1
    return counts
