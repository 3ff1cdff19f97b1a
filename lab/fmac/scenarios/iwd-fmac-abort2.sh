CLIENT=iwd;  KNOBS="abort_after=2"; EXPECT="failure (the abort races with the AP)"; WAIT_CONN=20
